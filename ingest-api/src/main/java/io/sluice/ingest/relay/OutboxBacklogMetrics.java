package io.sluice.ingest.relay;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.store.OutboxStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * {@code sluice.outbox.backlog}: outbox rows not yet relayed to Kafka, counted at most every
 * {@link #REFRESH} however often it is scraped (a count reads the whole outbox, which is small
 * while the relay keeps up and is what this gauge warns about when it does not).
 */
@Component
public class OutboxBacklogMetrics implements MeterBinder {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final OutboxStore outbox;
    private final Clock clock;
    private Instant countedAt = Instant.MIN;
    private double rows;

    public OutboxBacklogMetrics(OutboxStore outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sluice.outbox.backlog", this, OutboxBacklogMetrics::rows)
                .description("Outbox rows not yet relayed to Kafka (recounted at most every 5 s)")
                .register(registry);
    }

    synchronized double rows() {
        Instant now = clock.instant();
        if (Duration.between(countedAt, now).compareTo(REFRESH) >= 0) {
            try {
                rows = outbox.backlog();
            } catch (RuntimeException databaseDown) {
                // Unknown, not zero; the database health check and alerts report the cause.
                return Double.NaN;
            }
            countedAt = now;
        }
        return rows;
    }
}
