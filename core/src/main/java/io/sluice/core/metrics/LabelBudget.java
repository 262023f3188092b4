package io.sluice.core.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the series a labelled metric may make: the first {@code limit} distinct values keep
 * their own label, every later one shares {@link #OTHER}. Tenants create queues freely; a
 * Prometheus server should not grow with them.
 */
public final class LabelBudget {

    public static final String OTHER = "other";

    private final int limit;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    public LabelBudget(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be at least 0: " + limit);
        }
        this.limit = limit;
    }

    /** {@code value} itself while the budget lasts (or once admitted), else {@link #OTHER}. */
    public String label(String value) {
        if (admitted.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (admitted.size() < limit) {
                admitted.add(value);
                return value;
            }
        }
        return admitted.contains(value) ? value : OTHER;
    }
}
