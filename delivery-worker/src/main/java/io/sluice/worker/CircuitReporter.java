package io.sluice.worker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.core.kafka.Topics;
import io.sluice.core.stats.CircuitLine;
import io.sluice.core.stats.StatsCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Tells everyone where this worker's circuit breakers stand: a {@link CircuitLine} on the
 * compacted {@code sluice.circuits} when an endpoint's breaker is found in a new state (they are
 * looked at every {@link #LOOK_EVERY}), and again every {@link CircuitLine#REFRESH} while it is
 * not closed, so readers can tell a node that went away from one whose circuit is still open.
 * The endpoint stats read them.
 */
@Component
public class CircuitReporter implements DisposableBean {

    static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final EndpointGate gate;
    private final RecordSender sender;
    private final Topics topics;
    private final Clock clock;
    private final String node;
    /** The state last written per endpoint; an endpoint not here is closed and was never written. */
    private final Map<UUID, CircuitLine> written = new HashMap<>();
    private final ScheduledExecutorService looker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-circuit-reporter").daemon().factory());

    public CircuitReporter(EndpointGate gate, RecordSender sender, Topics topics, Clock clock,
                           WorkerProperties properties) {
        this.gate = gate;
        this.sender = sender;
        this.topics = topics;
        this.clock = clock;
        this.node = properties.nodeName();
        looker.scheduleWithFixedDelay(this::look, LOOK_EVERY.toMillis(), LOOK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes what changed, and refreshes what is not closed; runs on one thread only. */
    void look() {
        Instant now = clock.instant();
        for (EndpointGate.Circuit circuit : gate.circuits()) {
            String state = name(circuit.state());
            CircuitLine before = written.get(circuit.endpointId());
            boolean changed = before == null ? !CircuitLine.CLOSED.equals(state) : !before.state().equals(state);
            boolean due = before != null && !CircuitLine.CLOSED.equals(state)
                    && !before.at().plus(CircuitLine.REFRESH).isAfter(now);
            if (changed || due) {
                CircuitLine line = new CircuitLine(circuit.organizationId(), circuit.endpointId(), node, state, now);
                written.put(circuit.endpointId(), line);
                sender.send(new ProducerRecord<>(topics.circuits(), line.key(), StatsCodec.encode(line)), () -> { });
            }
        }
    }

    static String name(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> CircuitLine.OPEN;
            case HALF_OPEN -> CircuitLine.HALF_OPEN;
            case CLOSED, DISABLED, METRICS_ONLY -> CircuitLine.CLOSED;
        };
    }

    @Override
    public void destroy() {
        looker.shutdownNow();
    }
}
