package io.sluice.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.metrics.LabelBudget;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Delivery outcomes and attempt durations per queue and organization:
 * {@code sluice.queue.deliveries{organization, queue, outcome}} (delivered, retried,
 * dead_lettered) and {@code sluice.queue.attempt.duration{organization, queue}}, a histogram
 * with a few fixed buckets. The first {@code sluice.metrics.queue-series} queues seen keep their
 * labels; later ones are counted under {@code other}.
 */
@Component
public class QueueMetrics {

    private static final Duration[] BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** What one attempt came to. */
    enum Outcome {
        DELIVERED, RETRIED, DEAD_LETTERED
    }

    private record Series(Counter delivered, Counter retried, Counter deadLettered, Timer attempts) {
    }

    private final MeterRegistry meters;
    private final LabelBudget budget;
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    public QueueMetrics(MeterRegistry meters, @Value("${sluice.metrics.queue-series:100}") int queueSeries) {
        this.meters = meters;
        this.budget = new LabelBudget(queueSeries);
    }

    /** An attempt made: its outcome and how long it took. */
    void attempted(DeliveryMessage delivery, Outcome outcome, long durationMs) {
        Series s = seriesOf(delivery);
        s.attempts().record(Duration.ofMillis(durationMs));
        counted(s, outcome);
    }

    /** A delivery given up without an attempt (its endpoint disabled). */
    void withheld(DeliveryMessage delivery) {
        counted(seriesOf(delivery), Outcome.DEAD_LETTERED);
    }

    private static void counted(Series s, Outcome outcome) {
        switch (outcome) {
            case DELIVERED -> s.delivered().increment();
            case RETRIED -> s.retried().increment();
            case DEAD_LETTERED -> s.deadLettered().increment();
        }
    }

    private Series seriesOf(DeliveryMessage delivery) {
        String key = budget.label(delivery.organizationId() + "/" + delivery.queue());
        return series.computeIfAbsent(key, k -> {
            boolean other = LabelBudget.OTHER.equals(k);
            String organization = other ? LabelBudget.OTHER : delivery.organizationId().toString();
            String queue = other ? LabelBudget.OTHER : delivery.queue();
            return new Series(deliveries(organization, queue, "delivered"), deliveries(organization, queue, "retried"),
                    deliveries(organization, queue, "dead_lettered"),
                    Timer.builder("sluice.queue.attempt.duration").tags("organization", organization, "queue", queue)
                            .serviceLevelObjectives(BUCKETS).register(meters));
        });
    }

    private Counter deliveries(String organization, String queue, String outcome) {
        return Counter.builder("sluice.queue.deliveries")
                .tags("organization", organization, "queue", queue, "outcome", outcome).register(meters);
    }
}
