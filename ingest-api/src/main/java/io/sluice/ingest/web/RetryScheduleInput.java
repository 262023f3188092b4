package io.sluice.ingest.web;

import io.sluice.core.delivery.RetrySchedule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The {@code retry_schedule} field of endpoints and queues: delays such as
 * {@code ["1m", "10m", "1h"]}, each one of the retry tiers, since a tier is a Kafka topic
 * created at start.
 */
@Component
public class RetryScheduleInput {

    /** max_retries is at most 100; past its end a schedule's last delay repeats. */
    private static final int MAX_DELAYS = 100;

    private final RetrySchedule defaultSchedule;

    public RetryScheduleInput(RetrySchedule defaultSchedule) {
        this.defaultSchedule = defaultSchedule;
    }

    /**
     * @return the delays; empty (for null or an empty list): the default schedule
     * @throws ApiException 400 naming the tiers when a delay is not one of them
     */
    public List<Duration> parse(List<String> delays) {
        if (delays == null || delays.isEmpty()) {
            return List.of();
        }
        if (delays.size() > MAX_DELAYS) {
            throw ApiException.validation("retry_schedule holds at most " + MAX_DELAYS + " delays",
                    Map.of("field", "retry_schedule"));
        }
        try {
            List<Duration> parsed = RetrySchedule.durations(String.join(",", delays));
            return defaultSchedule.withDelays(parsed).delays();
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("retry_schedule: " + e.getMessage() + "; the tiers are "
                    + RetrySchedule.labels(defaultSchedule.tiers()), Map.of("field", "retry_schedule"));
        }
    }

    /** @return the delays as the API shows them, or null for the default schedule */
    public static List<String> view(List<Duration> delays) {
        return delays.isEmpty() ? null : delays.stream().map(RetrySchedule::label).toList();
    }
}
