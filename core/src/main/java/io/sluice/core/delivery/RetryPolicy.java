package io.sluice.core.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides what follows one attempt, from its outcome alone (webhooks spec, "Outcome of one
 * attempt"): a 2xx completes the job; 410 Gone disables the endpoint and dead-letters the
 * job; a failure no retry can cure (the address is refused, the URL or secret is unusable)
 * dead-letters it; anything else is tried again on the schedule, within the job's
 * {@code max_retries}, each delay drawn ±10 % so that receivers recovering from an outage
 * are not met by a synchronised wave. {@code Retry-After} is honoured: the next attempt
 * waits at least that long, at most as long as the schedule's longest delay.
 */
public final class RetryPolicy {

    /** What happens to the job after an attempt. */
    public sealed interface NextStep {
        /** Delivered. */
        record Complete() implements NextStep {
        }

        /** Tried again at {@code due}, waiting in the retry tier {@code tier} until then. */
        record Retry(Instant due, Duration tier) implements NextStep {
        }

        /** No more attempts: the job is dead-lettered with this reason. */
        record DeadLetter(String reason) implements NextStep {
        }

        /** 410 Gone: the endpoint is disabled and the job dead-lettered. */
        record DisableEndpoint(String reason) implements NextStep {
        }
    }

    static final double JITTER = 0.10;

    /**
     * The least a retry placed in {@code tier} waits from the moment it was decided: tiers
     * are chosen no longer than the wait and jitter takes off at most 10 %. The tier consumer
     * reads no further into a tier than this allows.
     */
    public static Duration shortestWait(Duration tier) {
        return Duration.ofMillis(Math.round(tier.toMillis() * (1 - JITTER)));
    }

    private final RandomGenerator random;

    public RetryPolicy(RandomGenerator random) {
        this.random = random;
    }

    /**
     * @param schedule   the delivery's schedule: its endpoint's, or the default
     * @param attempt    which attempt this was, from 1
     * @param maxRetries the job's {@code max_retries}: attempts after the first
     * @param retryAfter the receiver's {@code Retry-After}, if it sent one
     * @param now        when the attempt ended
     */
    public NextStep decide(RetrySchedule schedule, AttemptOutcome outcome, int attempt, int maxRetries,
                           Optional<Duration> retryAfter, Instant now) {
        return switch (outcome) {
            case AttemptOutcome.Delivered delivered -> new NextStep.Complete();
            case AttemptOutcome.Failed failed when Integer.valueOf(410).equals(failed.statusCode()) ->
                    new NextStep.DisableEndpoint("the receiver answered 410 Gone");
            case AttemptOutcome.Failed failed when failed.permanent() ->
                    new NextStep.DeadLetter(failed.errorClass() + ": " + failed.message());
            case AttemptOutcome.Failed failed -> retry(schedule, failed, attempt, maxRetries, retryAfter, now);
        };
    }

    private NextStep retry(RetrySchedule schedule, AttemptOutcome.Failed failed, int attempt, int maxRetries,
                           Optional<Duration> retryAfter, Instant now) {
        Optional<Duration> scheduled = attempt <= maxRetries ? schedule.delayAfter(attempt) : Optional.empty();
        if (scheduled.isEmpty()) {
            return new NextStep.DeadLetter("gave up after " + attempt + " attempt" + (attempt == 1 ? "" : "s")
                    + "; last: " + failed.message());
        }
        Duration longest = schedule.longest();
        Duration wanted = retryAfter.filter(r -> r.compareTo(scheduled.get()) > 0)
                .map(r -> r.compareTo(longest) > 0 ? longest : r)
                .orElse(scheduled.get());
        Duration tier = schedule.tierFor(wanted);
        long jittered = Math.round(wanted.toMillis() * (1 + random.nextDouble(-JITTER, JITTER)));
        // Never earlier than Retry-After asked for.
        long millis = retryAfter.isPresent() ? Math.max(jittered, wanted.toMillis()) : jittered;
        return new NextStep.Retry(now.plusMillis(millis), tier);
    }
}
