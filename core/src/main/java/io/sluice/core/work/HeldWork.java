package io.sluice.core.work;

/** A work item and where on the work topic it was read from (its offset is committed once it is settled). */
public record HeldWork(WorkItem item, int partition, long offset) {
}
