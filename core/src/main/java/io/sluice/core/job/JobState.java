package io.sluice.core.job;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states of a job and the transitions allowed between them. Every state change in the
 * system is checked against {@link #canMoveTo(JobState)}; the store guards its updates with
 * {@link #sourcesOf(JobState)} so a transition that lost a race changes nothing.
 */
public enum JobState {
    /** Waiting for its time or its dependencies; released by the scheduler. */
    SCHEDULED,
    /**
     * Accepted and durable, on its way to a worker, or waiting in a retry tier for its next
     * attempt ({@code next_attempt_at}); moved on by the state projector.
     */
    PENDING,
    /** An attempt is in flight; the projector records its outcome. */
    PROCESSING,
    /** A receiver answered 2xx (or a worker completed it). Terminal. */
    COMPLETED,
    /**
     * Failed for good outside the webhook path (Spooled's state for a worker's job that may
     * not retry); webhook deliveries retry or are dead-lettered instead. A later successful
     * (duplicate) attempt may still complete it.
     */
    FAILED,
    /** Attempts exhausted, or a failure no retry can cure; kept for inspection, retry (back to pending) or purge. */
    DEADLETTER,
    /**
     * Cancelled before it ran: by a user, by its expiry, or because its dependencies can no longer
     * be met. Only the last kind moves again, back to waiting, when its workflow is retried.
     */
    CANCELLED;

    private static final Map<JobState, Set<JobState>> NEXT = new java.util.EnumMap<>(JobState.class);
    private static final String[] WIRE_NAMES = Arrays.stream(values())
            .map(state -> state.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);
    private static final Map<String, JobState> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(JobState::wireName, state -> state));

    static {
        NEXT.put(SCHEDULED, EnumSet.of(PENDING, CANCELLED));
        // PENDING to PENDING: an attempt failed and the next one is due later.
        NEXT.put(PENDING, EnumSet.of(PENDING, PROCESSING, COMPLETED, FAILED, DEADLETTER, CANCELLED, SCHEDULED));
        NEXT.put(PROCESSING, EnumSet.of(PENDING, COMPLETED, FAILED, DEADLETTER));
        // At-least-once: a duplicate attempt that succeeded after a recorded failure wins.
        NEXT.put(FAILED, EnumSet.of(PENDING, PROCESSING, COMPLETED, DEADLETTER));
        NEXT.put(DEADLETTER, EnumSet.of(PENDING));
        NEXT.put(COMPLETED, EnumSet.noneOf(JobState.class));
        NEXT.put(CANCELLED, EnumSet.of(SCHEDULED));
    }

    public boolean canMoveTo(JobState target) {
        return NEXT.get(this).contains(target);
    }

    /** The states from which {@code target} may be reached: the guard of a store update. */
    public static Set<JobState> sourcesOf(JobState target) {
        Set<JobState> sources = EnumSet.noneOf(JobState.class);
        for (JobState state : values()) {
            if (state.canMoveTo(target)) {
                sources.add(state);
            }
        }
        return sources;
    }

    /** The states in which a job still waits to be taken, so its priority may still change (not a move). */
    public static Set<JobState> priorityChangeable() {
        return EnumSet.of(SCHEDULED, PENDING);
    }

    /**
     * The states a user may send back to {@link #PENDING} by hand ({@code POST /jobs/{id}/retry}):
     * jobs that were given up, never ones still on their way or already done. Each of them
     * {@linkplain #canMoveTo(JobState) may move} to pending.
     */
    public static Set<JobState> manuallyRetryable() {
        return EnumSet.of(FAILED, DEADLETTER);
    }

    /**
     * The states a failed attempt with a retry due may move a job from: only a job still on
     * its way. A late event of an old attempt must not revive a job that was given up
     * (dead-lettered or failed) or finished; only a manual retry does that.
     */
    public static Set<JobState> retryScheduledFrom() {
        return EnumSet.of(PENDING, PROCESSING);
    }

    /**
     * Whether the job has ended for now: completed, cancelled, or given up (dead-lettered, which
     * a user may still retry). A failed job waits for its next attempt and has not ended.
     */
    public boolean hasEnded() {
        return this == COMPLETED || this == DEADLETTER || this == CANCELLED;
    }

    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }

    /** The wire and column form: lower case, as in the Spooled API. */
    public String wireName() {
        return WIRE_NAMES[ordinal()];
    }

    /** @throws IllegalArgumentException for a name that is no state's, in any case */
    public static JobState fromWireName(String name) {
        // Looked up as written first: the relays read a state per change, and upper-casing it
        // each time was a third of their row mapping.
        JobState state = BY_WIRE_NAME.get(name);
        return state != null ? state : valueOf(name.toUpperCase(Locale.ROOT));
    }

}
