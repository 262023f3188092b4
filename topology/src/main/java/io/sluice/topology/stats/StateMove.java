package io.sluice.topology.stats;

import io.sluice.core.job.JobState;
import java.time.Instant;

/**
 * One job moved within one scope: it is counted in {@code to} and no longer in {@code from}
 * (null: it was not counted there before / is not counted there any more).
 */
record StateMove(JobState from, JobState to, Instant at) {
}
