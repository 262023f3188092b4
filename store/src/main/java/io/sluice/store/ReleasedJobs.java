package io.sluice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Scheduled jobs released in one transaction.
 *
 * @param at       when they were released
 * @param dueTimes each one's {@code scheduled_at}, earliest first
 */
public record ReleasedJobs(Instant at, List<Instant> dueTimes) {

    public ReleasedJobs {
        dueTimes = List.copyOf(dueTimes);
    }

    public int count() {
        return dueTimes.size();
    }

    /** How long after its time each job was released, in the order of {@link #dueTimes()}. */
    public List<Duration> lateness() {
        return dueTimes.stream().map(due -> Duration.between(due, at)).toList();
    }
}
