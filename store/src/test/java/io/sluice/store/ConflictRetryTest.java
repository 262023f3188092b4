package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A deadlock's victim, on the real PostgreSQL, is run again instead of failing its caller. */
class ConflictRetryTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final UUID first = db.newOrganization(clock);
    private final UUID second = db.newOrganization(clock);

    @Test
    void twoTransactionsLockingTheSameRowsInOppositeOrdersBothSucceed() throws Exception {
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        AtomicInteger attempts = new AtomicInteger();

        // when: each locks one row, waits until the other holds the other row, then wants it too
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<String> forward = threads.submit(() -> lockBoth(first, second, bothHoldOne, attempts, "forward"));
            Future<String> backward = threads.submit(() -> lockBoth(second, first, bothHoldOne, attempts, "backward"));

            // then: PostgreSQL broke the deadlock by failing one, which ran again and went through
            assertThat(forward.get(30, TimeUnit.SECONDS)).isEqualTo("forward");
            assertThat(backward.get(30, TimeUnit.SECONDS)).isEqualTo("backward");
        }
        assertThat(attempts).as("two first tries and the victim's second").hasValue(3);
    }

    private String lockBoth(UUID one, UUID other, CountDownLatch bothHoldOne, AtomicInteger attempts, String name) {
        AtomicInteger mine = new AtomicInteger();
        return ConflictRetry.inTransaction(db.tx, status -> {
            attempts.incrementAndGet();
            lock(one);
            if (mine.incrementAndGet() == 1) {
                bothHoldOne.countDown();
                try {
                    bothHoldOne.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            lock(other);
            return name;
        });
    }

    private void lock(UUID organization) {
        db.jdbc.queryForList("SELECT id FROM organizations WHERE id = ? FOR UPDATE", UUID.class, organization);
    }
}
