package io.sluice.worker;

import io.sluice.core.work.HeldWork;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The work items a node holds, by queue: due ones ordered highest priority first, then oldest
 * (job ids are time-ordered); delayed ones (a retry's wait) by due time until they are due.
 * Guarded by its own lock: the consumer adds, request threads take.
 */
final class WorkBuffer {

    private record Queue(UUID organizationId, String name) {
    }

    /**
     * Highest priority first, then the oldest (job ids are UUIDv7). Written out rather than
     * composed from {@code Comparator.comparing}: a claim of 100 jobs makes over a thousand of
     * these comparisons, and the composed form's nested lambdas were 3% of a ProcessJobs profile.
     */
    private static final Comparator<HeldWork> CLAIM_ORDER = (a, b) -> {
        int byPriority = Integer.compare(b.item().priority(), a.item().priority());
        return byPriority != 0 ? byPriority : a.item().jobId().compareTo(b.item().jobId());
    };
    private static final Comparator<HeldWork> DUE_ORDER = Comparator.comparing((HeldWork h) -> h.item().notBefore());

    private final Map<Queue, PriorityQueue<HeldWork>> due = new HashMap<>();
    private final PriorityQueue<HeldWork> delayed = new PriorityQueue<>(DUE_ORDER);
    private int size;

    synchronized void add(HeldWork held, Instant now) {
        notifyAll();
        if (held.item().notBefore() != null && held.item().notBefore().isAfter(now)) {
            delayed.add(held);
        } else {
            due.computeIfAbsent(new Queue(held.item().organizationId(), held.item().queueName()),
                    q -> new PriorityQueue<>(CLAIM_ORDER)).add(held);
        }
        size++;
    }

    synchronized List<HeldWork> take(UUID organizationId, String queueName, int limit, Instant now) {
        promoteDue(now);
        PriorityQueue<HeldWork> queue = due.get(new Queue(organizationId, queueName));
        List<HeldWork> taken = new ArrayList<>(Math.min(limit, queue == null ? 0 : queue.size()));
        while (queue != null && taken.size() < limit && !queue.isEmpty()) {
            taken.add(queue.poll());
        }
        size -= taken.size();
        return taken;
    }

    /**
     * Waits until the queue has a due item, or {@code timeoutMillis} passed.
     *
     * @param clock the time as the caller's clock tells it (delayed items fall due by it)
     * @return whether an item is due
     */
    synchronized boolean awaitDue(UUID organizationId, String queueName, long timeoutMillis,
                                  Supplier<Instant> clock) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        Queue key = new Queue(organizationId, queueName);
        while (true) {
            promoteDue(clock.get());
            PriorityQueue<HeldWork> queue = due.get(key);
            if (queue != null && !queue.isEmpty()) {
                return true;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            // Woken by every add; a delayed item falls due without one, so look again at least each second.
            wait(Math.min(left, 1_000));
        }
    }

    private void promoteDue(Instant now) {
        while (!delayed.isEmpty() && !delayed.peek().item().notBefore().isAfter(now)) {
            HeldWork ready = delayed.poll();
            size--;
            add(ready, now);
        }
    }

    /** Forgets what was read from partitions this node no longer owns. @return how many were dropped */
    synchronized int drop(Collection<Integer> partitions) {
        Set<Integer> gone = Set.copyOf(partitions);
        int before = size;
        for (PriorityQueue<HeldWork> queue : due.values()) {
            queue.removeIf(h -> gone.contains(h.partition()));
        }
        delayed.removeIf(h -> gone.contains(h.partition()));
        due.values().removeIf(PriorityQueue::isEmpty);
        size = delayed.size() + due.values().stream().mapToInt(PriorityQueue::size).sum();
        return before - size;
    }

    synchronized int size() {
        return size;
    }
}
