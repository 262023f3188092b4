package io.sluice.ingest.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.kafka.EndpointSnapshot;
import io.sluice.core.kafka.Topics;
import io.sluice.store.EndpointPublicationStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes every new version of an endpoint to the compacted {@code sluice.endpoints} topic,
 * where delivery workers learn of it: a disabled endpoint, a new URL or new limits then apply
 * to deliveries already on their way, not only to jobs relayed afterwards. Woken by changes
 * made through this node; changes made elsewhere (the projector disabling an endpoint) are
 * found by a poll every {@code sluice.relay.endpoint-poll-interval}.
 */
@Component
public class EndpointPublisher extends WakeableLoop {

    private static final int BATCH = 500;

    private final EndpointPublicationStore store;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Topics topics;
    private final RelayProperties properties;
    private final Counter published;

    public EndpointPublisher(EndpointPublicationStore store, KafkaTemplate<String, byte[]> kafka, Topics topics,
                             RelayProperties properties, MeterRegistry meters) {
        super("sluice-endpoint-publisher", properties.ackTimeout());
        this.store = store;
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
        this.published = meters.counter("sluice.relay.endpoint_versions");
    }

    /** Publishes one batch of changed endpoints. @return how many were published */
    public int runOnce() {
        return store.publishChanged(BATCH, this::publish);
    }

    private void publish(List<EndpointSnapshot> batch) throws Exception {
        CompletableFuture<?>[] acks = batch.stream()
                .map(endpoint -> kafka.send(topics.endpoints(), endpoint.key(), endpoint.encode()))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(acks).get(properties.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        published.increment(batch.size());
    }

    /** A full batch may have more behind it; otherwise wait for a change. A failed batch stays unpublished. */
    @Override
    Duration pass() {
        return runOnce() < BATCH ? properties.endpointPollInterval() : Duration.ZERO;
    }

    @Override
    Duration afterFailure() {
        return properties.endpointPollInterval();
    }
}
