package io.sluice.ingest.work;

import io.sluice.core.work.HeldWork;
import io.sluice.core.work.WorkSource;
import io.sluice.store.LeaseStore;
import io.sluice.store.LeasedJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A claim: items taken from this node's share of the work topic, leased in PostgreSQL. Items
 * that can no longer be leased (cancelled, leased through another node after a rebalance, or
 * parked because their queue is paused) are settled and replaced by more, while there are more.
 */
@Component
public class WorkClaims {

    /** Taking again after leasing fewer than asked is cheap, but a queue full of stale items must not hold a request long. */
    private static final int MAX_ROUNDS = 5;

    private final WorkSource source;
    private final LeaseStore leases;

    public WorkClaims(WorkSource source, LeaseStore leases) {
        this.source = source;
        this.leases = leases;
    }

    /** @return up to {@code limit} leased jobs of the queue, highest priority first, then oldest; none waiting: empty */
    public List<LeasedJob> claim(UUID organizationId, String queueName, UUID workerId, int limit, Duration lease) {
        List<LeasedJob> claimed = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS && claimed.size() < limit; round++) {
            List<HeldWork> taken = source.take(organizationId, queueName, limit - claimed.size());
            if (taken.isEmpty()) {
                break;
            }
            try {
                claimed.addAll(leases.lease(organizationId, queueName, taken.stream().map(h -> h.item().jobId()).toList(),
                        workerId, lease));
            } catch (RuntimeException e) {
                source.putBack(taken);
                throw e;
            }
            source.settled(taken);
        }
        return claimed;
    }
}
