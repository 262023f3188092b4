package io.sluice.ingest.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.kafka.EndpointSnapshot;
import io.sluice.core.kafka.Topics;
import io.sluice.store.EndpointPublicationStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
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
public class EndpointPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EndpointPublisher.class);
    private static final int BATCH = 500;

    private final EndpointPublicationStore store;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Topics topics;
    private final RelayProperties properties;
    private final Counter published;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private Thread loop;

    public EndpointPublisher(EndpointPublicationStore store, KafkaTemplate<String, byte[]> kafka, Topics topics,
                             RelayProperties properties, MeterRegistry meters) {
        this.store = store;
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
        this.published = meters.counter("sluice.relay.endpoint_versions");
    }

    /** Called after a commit that changed an endpoint: publish now rather than at the next poll. */
    public void wake() {
        wakeups.release();
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

    private void run() {
        while (running) {
            int published = 0;
            try {
                published = runOnce();
            } catch (RuntimeException e) {
                // Nothing was marked published; the next round publishes the same versions.
                log.warn("Publishing endpoint versions failed, will retry: {}", e.toString());
            }
            if (published < BATCH) {
                try {
                    wakeups.tryAcquire(properties.endpointPollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeups.drainPermits();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        loop = Thread.ofPlatform().name("sluice-endpoint-publisher").start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        try {
            loop.join(properties.ackTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
