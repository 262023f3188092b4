package io.sluice.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which occurrences of a due schedule fire now, and when it is due next: the decision, made
 * without side effects, that the scheduler then carries out in one transaction.
 *
 * <p>An occurrence no older than the misfire grace is on time and always fires (a scheduler
 * a moment late is not a misfire). Older ones were missed, and the schedule's
 * {@link MisfirePolicy} decides: {@code skip} fires once (as the latest missed occurrence)
 * unless an on-time one fires anyway, {@code catch_up} fires each up to the limit, oldest
 * first, {@code none} fires none.
 *
 * @param fires     the occurrences to fire, oldest first (each is a job)
 * @param missed    occurrences passed over without a job of their own (at least: after a long outage
 *                  of a fine-grained expression they are not all counted)
 * @param nextRunAt the first occurrence after now; empty when the expression has no more
 */
public record FirePlan(List<Instant> fires, int missed, Optional<Instant> nextRunAt) {

    public FirePlan {
        fires = List.copyOf(fires);
    }

    /**
     * @param due the occurrence the schedule is due at (its {@code next_run_at}), not after {@code now}
     */
    public static FirePlan of(CronExpression cron, ZoneId zone, Instant due, Instant now, MisfirePolicy policy,
                              Duration grace, int catchUpLimit) {
        List<Instant> onTime = new ArrayList<>();
        List<Instant> oldestMissed = new ArrayList<>();
        Instant latestMissed = null;
        int missed = 0;
        int examined = 0;
        Instant occurrence = due;
        while (occurrence != null && !occurrence.isAfter(now)) {
            if (examined++ == catchUpLimit + onTimeBound(grace)) {
                // A fine-grained expression after a long outage: what is left was missed too (uncounted).
                missed++;
                occurrence = cron.nextAfter(now, zone).orElse(null);
                break;
            }
            if (Duration.between(occurrence, now).compareTo(grace) <= 0) {
                onTime.add(occurrence);
            } else {
                missed++;
                latestMissed = occurrence;
                if (oldestMissed.size() < catchUpLimit) {
                    oldestMissed.add(occurrence);
                }
            }
            occurrence = cron.nextAfter(occurrence, zone).orElse(null);
        }
        List<Instant> fires = new ArrayList<>();
        switch (policy) {
            case SKIP -> {
                if (onTime.isEmpty() && latestMissed != null) {
                    fires.add(latestMissed);
                    missed--;
                }
            }
            case CATCH_UP -> {
                fires.addAll(oldestMissed);
                missed -= oldestMissed.size();
            }
            case NONE -> {
            }
        }
        fires.addAll(onTime);
        return new FirePlan(fires, missed, Optional.ofNullable(occurrence));
    }

    /** On-time occurrences are at most one per second of the grace (six-field expressions). */
    private static int onTimeBound(Duration grace) {
        return (int) Math.min(Integer.MAX_VALUE / 2, grace.toSeconds() + 1);
    }
}
