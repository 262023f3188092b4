package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.job.Uuid7;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OutboxStore.claimAndPublish. The outbox is shared by every organization, so each test
 * starts by draining what other tests left behind.
 */
class OutboxStoreTest {

    private static final Duration TTL = Duration.ofHours(24);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final OutboxStore outbox = new OutboxStore(db.jdbc, db.tx, clock, db.systemEvents(clock));

    @BeforeEach
    void drainTheOutbox() {
        while (outbox.backlog() > 0) {
            outbox.claimAndPublish(1_000, (batch, work) -> { });
        }
    }

    @Test
    void claimAndPublishHandsOverTheJoinedDeliveryAndDeletesItsRows() {
        // given
        UUID org = db.newOrganization(clock);
        Endpoint endpoint = db.newEndpoint(org, clock);
        String payload = "{ \"z\": 1,\n  \"a\": [1.50, 2e3, \"caf\\u00e9 é\"], \"dup\": 1, \"dup\": 2 }";
        NewJob first = new NewJob(ids.next(), org, "invoices", payload, endpoint.id(), 0, 3, null, null, null, null, null);
        NewJob second = job(ids.next(), org, "invoices", endpoint.id(), null);
        jobs.insertBatch(List.of(first, second), TTL);
        List<OutboxDelivery> published = new ArrayList<>();

        // when
        int count = outbox.claimAndPublish(100, (batch, work) -> published.addAll(batch));

        // then
        assertThat(count).isEqualTo(2);
        assertThat(published).extracting(OutboxDelivery::jobId).containsExactly(first.id(), second.id());
        OutboxDelivery delivery = published.get(0);
        assertThat(delivery.payload()).isEqualTo(payload);
        assertThat(delivery.organizationId()).isEqualTo(org);
        assertThat(delivery.endpointId()).isEqualTo(endpoint.id());
        assertThat(delivery.queueName()).isEqualTo("invoices");
        assertThat(delivery.url()).isEqualTo(endpoint.url());
        assertThat(delivery.signingKeys()).isEqualTo(endpoint.signingKeys());
        assertThat(delivery.timeoutMs()).isEqualTo(endpoint.timeoutMs());
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id IN (?, ?)", first.id(), second.id())).isZero();
        assertThat(outbox.claimAndPublish(100, (batch, work) -> { throw new AssertionError("nothing left to publish"); }))
                .isZero();
    }

    @Test
    void whenThePublisherThrowsTheRowsStayAndALaterClaimPublishesThem() {
        // given
        UUID org = db.newOrganization(clock);
        Endpoint endpoint = db.newEndpoint(org, clock);
        NewJob first = job(ids.next(), org, "default", endpoint.id(), null);
        NewJob second = job(ids.next(), org, "default", endpoint.id(), null);
        jobs.insertBatch(List.of(first, second), TTL);

        // when
        assertThatThrownBy(() -> outbox.claimAndPublish(100, (batch, work) -> { throw new IOException("broker down"); }))
                .isInstanceOf(OutboxStore.PublishFailedException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> outbox.claimAndPublish(100, (batch, work) -> { throw new IllegalStateException("boom"); }))
                .isInstanceOf(IllegalStateException.class);

        // then
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id IN (?, ?)", first.id(), second.id()))
                .isEqualTo(2);
        assertThat(outbox.backlog()).isEqualTo(2);
        List<OutboxDelivery> published = new ArrayList<>();
        assertThat(outbox.claimAndPublish(100, (batch, work) -> published.addAll(batch))).isEqualTo(2);
        assertThat(published).extracting(OutboxDelivery::jobId).containsExactly(first.id(), second.id());
        assertThat(outbox.backlog()).isZero();
    }

    @Test
    void vacuumClearsTheIndexEntriesThatClaimsLeaveBehindSoTheNextClaimDoesNotWalkThem() {
        // given: thousands of rows claimed and deleted, their entries still in the index
        UUID org = db.newOrganization(clock);
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            batch.add(job(ids.next(), org, "bulk", null, null));
        }
        jobs.insertBatch(batch, TTL);
        while (outbox.claimAndPublish(1_000, (deliveries, work) -> { }) > 0) {
            // drained
        }
        long pagesBefore = indexPagesReadByAClaim();

        // when
        outbox.vacuum();

        // then: the walk over dead entries is gone
        long pagesAfter = indexPagesReadByAClaim();
        assertThat(pagesBefore).isGreaterThan(10);
        assertThat(pagesAfter).isLessThan(pagesBefore / 5);
    }

    /** Pages a claim's index walk touches, by the plan the claim itself uses. */
    private long indexPagesReadByAClaim() {
        String plan = db.tx.execute(status -> {
            db.jdbc.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
            return db.jdbc.queryForObject(
                    "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM outbox ORDER BY id LIMIT 1000", String.class);
        });
        java.util.regex.Matcher hits = java.util.regex.Pattern.compile("\"Shared Hit Blocks\": (\\d+)").matcher(plan);
        java.util.regex.Matcher reads = java.util.regex.Pattern.compile("\"Shared Read Blocks\": (\\d+)").matcher(plan);
        assertThat(hits.find() && reads.find()).as("buffers in %s", plan).isTrue();
        return Long.parseLong(hits.group(1)) + Long.parseLong(reads.group(1));
    }

    @Test
    void aRowWhoseJobIsGoneIsRemovedWithoutBeingPublished() {
        // given: a deliverable job, and an outbox row whose job no longer exists
        UUID org = db.newOrganization(clock);
        Endpoint endpoint = db.newEndpoint(org, clock);
        NewJob kept = job(ids.next(), org, "default", endpoint.id(), null);
        jobs.insertBatch(List.of(kept), TTL);
        UUID vanished = ids.next();
        db.jdbc.update("INSERT INTO outbox (job_id) VALUES (?)", vanished);
        List<OutboxDelivery> published = new ArrayList<>();

        // when
        int count = outbox.claimAndPublish(100, (batch, work) -> published.addAll(batch));

        // then
        assertThat(count).isEqualTo(2);
        assertThat(published).extracting(OutboxDelivery::jobId).containsExactly(kept.id());
        assertThat(outbox.backlog()).isZero();
    }

    @Test
    void twoRelaysClaimingConcurrentlyNeverPublishTheSameRowTwice() throws Exception {
        // given
        UUID org = db.newOrganization(clock);
        Endpoint endpoint = db.newEndpoint(org, clock);
        List<UUID> inserted = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            List<NewJob> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                batch.add(job(ids.next(), org, "default", endpoint.id(), null));
            }
            jobs.insertBatch(batch, TTL);
            batch.forEach(j -> inserted.add(j.id()));
        }
        Map<UUID, AtomicInteger> publications = new ConcurrentHashMap<>();
        Map<Long, AtomicInteger> outboxRows = new ConcurrentHashMap<>();
        OutboxStore.Publisher publisher = (batch, work) -> {
            for (OutboxDelivery delivery : batch) {
                publications.computeIfAbsent(delivery.jobId(), id -> new AtomicInteger()).incrementAndGet();
                outboxRows.computeIfAbsent(delivery.outboxId(), id -> new AtomicInteger()).incrementAndGet();
            }
            Thread.sleep(2); // hold the claim a little, as a real publish waiting for acks does
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);

        // when
        List<Future<Integer>> relays = new ArrayList<>();
        try {
            for (int r = 0; r < 2; r++) {
                relays.add(pool.submit(() -> {
                    start.await();
                    int total = 0;
                    for (int n; (n = outbox.claimAndPublish(100, publisher)) > 0; ) {
                        total += n;
                    }
                    return total;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> relay : relays) {
                total += relay.get(120, TimeUnit.SECONDS);
            }

            // then
            assertThat(total).isEqualTo(2_000);
        } finally {
            pool.shutdownNow();
        }
        assertThat(outbox.backlog()).isZero();
        assertThat(publications.keySet()).containsExactlyInAnyOrderElementsOf(inserted);
        Set<UUID> twice = publications.entrySet().stream().filter(e -> e.getValue().get() != 1)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(twice).as("jobs published more than once").isEmpty();
        assertThat(outboxRows).hasSize(2_000).allSatisfy((id, times) -> assertThat(times.get()).isEqualTo(1));
    }
}
