package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lanes of FIFO endpoints: one job of each in flight, the next once it is final. */
class FifoStoreTest {

    private static final Duration TTL = Duration.ofHours(24);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final FifoStore fifo = new FifoStore(db.jdbc, db.tx);
    private final UUID org = db.newOrganization(clock);

    @BeforeEach
    void emptyTheLanesOfOtherTests() {
        db.jdbc.update("DELETE FROM fifo_queue");
        db.jdbc.update("DELETE FROM fifo_in_flight");
    }

    @Test
    void aFifoEndpointsJobsWaitInItsLaneAndGoToTheOutboxOneAtATimeInOrder() {
        // given: three jobs of a FIFO endpoint and one of an ordinary endpoint
        UUID lane = fifoEndpoint();
        UUID plain = db.newEndpoint(org, clock).id();
        List<NewJob> laned = List.of(job(lane), job(lane), job(lane));
        NewJob unordered = job(plain);
        jobs.insertBatch(List.of(laned.get(0), unordered, laned.get(1), laned.get(2)), TTL);

        // then the ordinary job is in the outbox at once, the FIFO ones are not
        assertThat(inOutbox(unordered.id())).isTrue();
        assertThat(laned).noneMatch(j -> inOutbox(j.id()));

        // when the lanes are released: only the first job goes, however often it runs
        assertThat(fifo.releaseNext(100)).isEqualTo(new FifoStore.Pass(1, 1));
        assertThat(fifo.releaseNext(100).released()).isZero();
        assertThat(inOutbox(laned.get(0).id())).isTrue();
        assertThat(inOutbox(laned.get(1).id())).isFalse();

        // when the first is delivered, the second goes; when that is dead-lettered, the third
        finish(laned.get(0).id(), "completed");
        assertThat(fifo.releaseNext(100).released()).isEqualTo(1);
        assertThat(inOutbox(laned.get(1).id())).isTrue();
        finish(laned.get(1).id(), "deadletter");
        assertThat(fifo.releaseNext(100).released()).isEqualTo(1);
        assertThat(inOutbox(laned.get(2).id())).isTrue();
        finish(laned.get(2).id(), "completed");
        assertThat(fifo.releaseNext(100)).isEqualTo(new FifoStore.Pass(0, 0));
    }

    @Test
    void theLanesOfDifferentEndpointsMoveIndependently() {
        UUID stuck = fifoEndpoint();
        UUID moving = fifoEndpoint();
        NewJob head = job(stuck);
        NewJob behindHead = job(stuck);
        NewJob first = job(moving);
        NewJob second = job(moving);
        jobs.insertBatch(List.of(head, behindHead, first, second), TTL);

        fifo.releaseNext(100);
        finish(first.id(), "completed");
        fifo.releaseNext(100);

        assertThat(inOutbox(second.id())).isTrue();
        assertThat(inOutbox(behindHead.id())).isFalse();
    }

    private UUID fifoEndpoint() {
        Endpoint endpoint = Endpoint.created(UUID.randomUUID(), org, "https://receiver.test/fifo", null,
                "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0", 5_000, EndpointLimits.NONE, List.of(), Subscription.ALL,
                Map.of(), Endpoint.Ordering.FIFO, clock.instant());
        new EndpointStore(db.jdbc).create(endpoint);
        return endpoint.id();
    }

    private NewJob job(UUID endpointId) {
        return StoreTestSupport.job(ids.next(), org, "ledger", endpointId, null);
    }

    private boolean inOutbox(UUID jobId) {
        return db.count("SELECT count(*) FROM outbox WHERE job_id = ?", jobId) == 1;
    }

    /** What the projector does when a job's last attempt settles it. */
    private void finish(UUID jobId, String state) {
        db.jdbc.update("UPDATE jobs SET state = ? WHERE id = ?", state, jobId);
    }
}
