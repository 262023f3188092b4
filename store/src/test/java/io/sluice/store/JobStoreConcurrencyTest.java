package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Idempotency keys under concurrent insertBatch calls of one organization. */
class JobStoreConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 10;
    private static final Duration TTL = Duration.ofHours(24);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void concurrentBatchesWithTheSameKeyAllResolveToOneJob() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            // given
            UUID org = db.newOrganization(clock);
            String key = "race-" + round;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<InsertedJob>>> calls = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<NewJob> batch = List.of(
                        job(ids.next(), org, "default", null, null),
                        job(ids.next(), org, "default", null, key),
                        job(ids.next(), org, "default", null, null));
                calls.add(pool.submit(() -> {
                    start.await();
                    return jobs.insertBatch(batch, TTL);
                }));
            }

            // when
            start.countDown();
            List<InsertedJob> keyed = new ArrayList<>();
            for (Future<List<InsertedJob>> call : calls) {
                List<InsertedJob> results = call.get(60, TimeUnit.SECONDS);
                assertThat(results.get(0).created()).isTrue();
                assertThat(results.get(2).created()).isTrue();
                keyed.add(results.get(1));
            }

            // then
            UUID winner = keyed.get(0).id();
            assertThat(keyed).as("round %d", round).extracting(InsertedJob::id).containsOnly(winner);
            assertThat(keyed).as("round %d", round).filteredOn(InsertedJob::created).hasSize(1);
            assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ? AND idempotency_key = ?", org, key))
                    .as("round %d", round).isEqualTo(1);
            assertThat(db.jdbc.queryForObject("SELECT id FROM jobs WHERE organization_id = ? AND idempotency_key = ?",
                    UUID.class, org, key)).isEqualTo(winner);
            assertThat(db.jdbc.queryForObject("SELECT job_id FROM idempotency_keys WHERE organization_id = ? AND key = ?",
                    UUID.class, org, key)).isEqualTo(winner);
            assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org))
                    .as("every unkeyed job plus one keyed job").isEqualTo(2L * THREADS + 1);
        }
    }

    @Test
    void batchesSharingKeysInOppositeOrdersDoNotDeadlock() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            // given: two batches with the same fifty keys, one ascending, one descending
            UUID org = db.newOrganization(clock);
            List<NewJob> ascending = new ArrayList<>();
            List<NewJob> descending = new ArrayList<>();
            for (int k = 0; k < 50; k++) {
                ascending.add(job(ids.next(), org, "default", null, "k" + k));
                descending.add(job(ids.next(), org, "default", null, "k" + (49 - k)));
            }
            CountDownLatch start = new CountDownLatch(1);
            Future<List<InsertedJob>> first = pool.submit(() -> {
                start.await();
                return jobs.insertBatch(ascending, TTL);
            });
            Future<List<InsertedJob>> second = pool.submit(() -> {
                start.await();
                return jobs.insertBatch(descending, TTL);
            });

            // when
            start.countDown();
            List<InsertedJob> a = first.get(60, TimeUnit.SECONDS);
            List<InsertedJob> b = second.get(60, TimeUnit.SECONDS);

            // then: both succeed and every key resolves to one job for both callers
            for (int k = 0; k < 50; k++) {
                assertThat(b.get(49 - k).id()).as("round %d key k%d", round, k).isEqualTo(a.get(k).id());
                assertThat(a.get(k).created() ^ b.get(49 - k).created()).isTrue();
            }
            assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org)).isEqualTo(50L);
        }
    }
}
