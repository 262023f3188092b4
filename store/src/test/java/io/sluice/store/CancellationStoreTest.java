package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** A job that has not run is cancelled unless the delivery pipeline already has it. */
class CancellationStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final CancellationStore cancellations = new CancellationStore(db.jdbc, db.tx, db.systemEvents(clock), clock);
    private final UUID org = db.newOrganization(clock);

    @Test
    void aJobWaitingForAWorkerIsCancelledOnce() {
        UUID waiting = insert(null);

        assertThat(cancellations.cancel(org, waiting)).isEqualTo(new Cancellation.Cancelled());
        assertThat(jobs.get(org, waiting).orElseThrow().state()).isEqualTo("cancelled");
        assertThat(cancellations.cancel(org, waiting)).isEqualTo(new Cancellation.NotCancellable(JobState.CANCELLED));
    }

    @Test
    void aDeliveryStillInTheOutboxIsTakenBackAndCancelled() {
        UUID delivery = insert(db.newEndpoint(org, clock).id());

        assertThat(cancellations.cancel(org, delivery)).isEqualTo(new Cancellation.Cancelled());
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", delivery)).isZero();
    }

    @Test
    void aDeliveryTheRelayAlreadyPublishedIsCancelledAndTheWorkersAreToBeTold() {
        // given: the relay claimed its outbox row
        UUID delivery = insert(db.newEndpoint(org, clock).id());
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", delivery);

        // then
        assertThat(cancellations.cancel(org, delivery)).isEqualTo(new Cancellation.CancelledInFlight());
        assertThat(jobs.get(org, delivery).orElseThrow().state()).isEqualTo("cancelled");
    }

    @Test
    void anotherOrganizationsJobIsNotFound() {
        UUID waiting = insert(null);

        assertThat(cancellations.cancel(db.newOrganization(clock), waiting)).isEqualTo(new Cancellation.NotFound());
        assertThat(jobs.get(org, waiting).orElseThrow().state()).isEqualTo("pending");
    }

    private UUID insert(UUID endpointId) {
        UUID id = ids.next();
        jobs.insertBatch(List.of(job(id, org, "reports", endpointId, null)), Duration.ofHours(1));
        return id;
    }
}
