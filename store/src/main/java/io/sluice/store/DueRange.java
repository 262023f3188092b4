package io.sluice.store;

/**
 * Scheduled jobs between two places of the release order ({@link JobStore#splitDue}).
 *
 * @param after the key just before the range, or null from the first
 * @param upTo  the range's last key, or null to the last
 */
public record DueRange(ScheduledKey after, ScheduledKey upTo) {

    /** Every scheduled job. */
    public static final DueRange ALL = new DueRange(null, null);
}
