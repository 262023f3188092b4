package io.sluice.core.stats;

import io.sluice.core.job.JobState;

/** How many jobs are in each state. Never negative once every move of every counted job is applied. */
public record StateCounts(long scheduled, long pending, long processing, long completed, long failed,
                          long deadletter, long cancelled) {

    public static final StateCounts NONE = new StateCounts(0, 0, 0, 0, 0, 0, 0);

    /**
     * One job moved: it counts in {@code to} and no longer in {@code from}. Null {@code from}: it
     * was not counted before (new); null {@code to}: it is no longer counted (gone).
     */
    public StateCounts moved(JobState from, JobState to) {
        return plus(from, -1).plus(to, 1);
    }

    private StateCounts plus(JobState state, long delta) {
        if (state == null) {
            return this;
        }
        return switch (state) {
            case SCHEDULED -> new StateCounts(scheduled + delta, pending, processing, completed, failed, deadletter, cancelled);
            case PENDING -> new StateCounts(scheduled, pending + delta, processing, completed, failed, deadletter, cancelled);
            case PROCESSING -> new StateCounts(scheduled, pending, processing + delta, completed, failed, deadletter, cancelled);
            case COMPLETED -> new StateCounts(scheduled, pending, processing, completed + delta, failed, deadletter, cancelled);
            case FAILED -> new StateCounts(scheduled, pending, processing, completed, failed + delta, deadletter, cancelled);
            case DEADLETTER -> new StateCounts(scheduled, pending, processing, completed, failed, deadletter + delta, cancelled);
            case CANCELLED -> new StateCounts(scheduled, pending, processing, completed, failed, deadletter, cancelled + delta);
        };
    }

    /** These counts and {@code other}'s, state by state (a delta may hold negative counts). */
    public StateCounts plus(StateCounts other) {
        return new StateCounts(scheduled + other.scheduled, pending + other.pending, processing + other.processing,
                completed + other.completed, failed + other.failed, deadletter + other.deadletter,
                cancelled + other.cancelled);
    }

    /** Whether every count is zero: a delta that changes nothing. */
    public boolean isNone() {
        return equals(NONE);
    }

    public long of(JobState state) {
        return switch (state) {
            case SCHEDULED -> scheduled;
            case PENDING -> pending;
            case PROCESSING -> processing;
            case COMPLETED -> completed;
            case FAILED -> failed;
            case DEADLETTER -> deadletter;
            case CANCELLED -> cancelled;
        };
    }

    public long total() {
        return scheduled + pending + processing + completed + failed + deadletter + cancelled;
    }
}
