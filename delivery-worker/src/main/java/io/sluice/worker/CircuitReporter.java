package io.sluice.worker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.core.kafka.Topics;
import io.sluice.core.stats.CircuitLine;
import io.sluice.core.stats.StatsCodec;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Tells everyone where this worker's circuit breakers stand: a {@link CircuitLine} on the
 * compacted {@code sluice.circuits} when an endpoint's breaker changes state, and again every
 * {@link CircuitLine#REFRESH} while it is not closed (so readers can tell a node that went away
 * from one whose circuit is still open). The live stats read them for the endpoint's figures.
 */
@Component
public class CircuitReporter implements DisposableBean {

    private final RecordSender sender;
    private final Topics topics;
    private final Clock clock;
    private final String node;
    /** The lines of circuits not closed, by endpoint: written again on every refresh. */
    private final Map<UUID, CircuitLine> notClosed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sluice-circuit-refresh").daemon().factory());

    public CircuitReporter(EndpointGate gate, RecordSender sender, Topics topics, Clock clock,
                           WorkerProperties properties) {
        this.sender = sender;
        this.topics = topics;
        this.clock = clock;
        this.node = properties.nodeName();
        gate.onCircuitChange(this::changed);
        long every = CircuitLine.REFRESH.toMillis();
        refresher.scheduleAtFixedRate(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    /** Synchronized with the refresh, so a refreshed line never follows a newer state's. */
    synchronized void changed(UUID organizationId, UUID endpointId, CircuitBreaker.State state) {
        CircuitLine line = new CircuitLine(organizationId, endpointId, node, name(state), clock.instant());
        if (CircuitLine.CLOSED.equals(line.state())) {
            notClosed.remove(endpointId);
        } else {
            notClosed.put(endpointId, line);
        }
        write(line);
    }

    private synchronized void refresh() {
        notClosed.values().forEach(line -> write(new CircuitLine(line.organizationId(), line.endpointId(), node,
                line.state(), clock.instant())));
    }

    private void write(CircuitLine line) {
        sender.send(new ProducerRecord<>(topics.circuits(), line.key(), StatsCodec.encode(line)), () -> { });
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
        refresher.shutdownNow();
    }
}
