package io.sluice.core.work;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The jobs of external workers' queues this node holds, fed from the work topic. A taken item
 * is out of the source until it is {@link #settled} (its fate is durable: leased, or found no
 * longer waiting) or {@link #putBack} (leasing it failed); only settled items let the topic's
 * offsets advance, so a node that dies with items in hand leaves them to the next owner.
 */
public interface WorkSource {

    /** Removes up to {@code limit} of the queue's due items: highest priority first, then oldest. */
    List<HeldWork> take(UUID organizationId, String queueName, int limit);

    /**
     * Waits until the queue has a due item, or the timeout passed: for streams that push jobs
     * to workers as they arrive.
     *
     * @return whether an item is due now
     */
    boolean awaitDue(UUID organizationId, String queueName, Duration timeout) throws InterruptedException;

    void settled(Collection<HeldWork> items);

    void putBack(Collection<HeldWork> items);
}
