package io.sluice.topology.stats;

import io.sluice.core.event.JobStateChanged;
import io.sluice.core.job.JobState;
import io.sluice.core.stats.StatsScope;
import java.time.Instant;
import java.util.UUID;

/**
 * Where one job is counted: the state and queue of its newest change seen, and that change's
 * version. A job that is gone keeps a standing with no state for a while, so that a straggling
 * older change cannot count it again.
 */
record JobStanding(long version, UUID organizationId, String queueName, JobState state, Instant at) {

    static JobStanding of(JobStateChanged change) {
        return new JobStanding(change.version(), change.organizationId(), change.queueName(), change.to(),
                change.at());
    }

    boolean gone() {
        return state == null;
    }

    StatsScope queue() {
        return StatsScope.queue(organizationId, queueName);
    }

    StatsScope organization() {
        return StatsScope.organization(organizationId);
    }
}
