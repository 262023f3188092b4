package io.sluice.scheduler;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work due in a fake store, taken batch by batch by transactions that may run at once. Two
 * takes named in advance wait for each other, so a test fails unless they run side by side.
 */
final class Backlog {

    private final AtomicInteger due;
    private final AtomicInteger takes = new AtomicInteger();
    private final CyclicBarrier twoAtOnce = new CyclicBarrier(2);
    private final int firstOfTwo;

    /** @param firstOfTwo the take (counted from 1) that must be under way with the one after it */
    Backlog(int due, int firstOfTwo) {
        this.due = new AtomicInteger(due);
        this.firstOfTwo = firstOfTwo;
    }

    /** @param sideBySide whether this take may be one of the two that must meet */
    int take(int limit, boolean sideBySide) {
        int take = takes.incrementAndGet();
        if (sideBySide && (take == firstOfTwo || take == firstOfTwo + 1)) {
            try {
                twoAtOnce.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("two transactions did not run at once", e);
            }
        }
        int left;
        int taken;
        do {
            left = due.get();
            taken = Math.min(limit, left);
        } while (!due.compareAndSet(left, left - taken));
        return taken;
    }

    int left() {
        return due.get();
    }

    int takes() {
        return takes.get();
    }
}
