package io.sluice.ingest.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.kafka.QueueState;
import io.sluice.core.kafka.Topics;
import io.sluice.store.EndpointPublicationStore;
import io.sluice.store.QueuePauseStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes what delivery workers follow to know about deliveries already in Kafka: every new
 * version of an endpoint to the compacted {@code sluice.endpoints} topic (a disabled endpoint,
 * a new URL or new limits then apply to them, not only to jobs relayed afterwards), and every
 * pause and resume of a queue to the compacted {@code sluice.queues} topic, and every job cancelled
 * while its delivery was in Kafka to the compacted {@code sluice.cancellations} topic. Woken by changes
 * made through this node; changes made elsewhere (the projector disabling an endpoint, another
 * node pausing a queue) are found by a poll every {@code sluice.relay.endpoint-poll-interval}.
 */
@Component
public class DirectoryPublisher extends WakeableLoop {

    private static final Logger log = LoggerFactory.getLogger(DirectoryPublisher.class);
    private static final int BATCH = 500;

    private final EndpointPublicationStore endpoints;
    private final QueuePauseStore queues;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Topics topics;
    private final RelayProperties properties;
    private final Counter endpointVersions;
    private final Counter queueStates;
    private final Counter cancellations;
    private final Clock clock;

    public DirectoryPublisher(EndpointPublicationStore endpoints, QueuePauseStore queues,
                              KafkaTemplate<String, byte[]> kafka, Topics topics, RelayProperties properties,
                              MeterRegistry meters, Clock clock) {
        super("sluice-directory-publisher", properties.ackTimeout());
        this.endpoints = endpoints;
        this.queues = queues;
        this.kafka = kafka;
        this.topics = topics;
        this.properties = properties;
        this.endpointVersions = meters.counter("sluice.relay.endpoint_versions");
        this.queueStates = meters.counter("sluice.relay.queue_states");
        this.cancellations = meters.counter("sluice.relay.cancellations");
        this.clock = clock;
    }

    /** Publishes one batch of changed endpoints and one of changed queues. @return whether either batch was full */
    public boolean runOnce() {
        int endpointCount = endpoints.publishChanged(BATCH, batch -> {
            send(batch.stream().map(e -> kafka.send(topics.endpoints(), e.key(), e.encode())).toList());
            endpointVersions.increment(batch.size());
        });
        int queueCount = queues.publishChanged(BATCH, batch -> {
            send(batch.stream().map(q -> kafka.send(topics.queues(), q.key(), q.encode())).toList());
            queueStates.increment(batch.size());
        });
        return endpointCount == BATCH || queueCount == BATCH;
    }

    /** Writes the tombstone of a removed queue to {@code sluice.queues}; returns once Kafka has it, or throws. */
    public void forgetQueue(UUID organizationId, String queueName) throws Exception {
        send(List.of(kafka.send(topics.queues(), QueueState.key(organizationId, queueName), null)));
        queueStates.increment();
    }

    /**
     * Tells the delivery workers, through {@code sluice.cancellations}, to drop the deliveries of a
     * job cancelled while they were already in Kafka. Called after the cancellation committed; if
     * Kafka does not take the notice, the job stays cancelled and its delivery may still be made
     * (and recorded on it): late news, never a lost job.
     */
    public void announceCancellation(UUID jobId) {
        try {
            send(List.of(kafka.send(topics.cancellations(), jobId.toString(),
                    clock.instant().toString().getBytes(StandardCharsets.UTF_8))));
            cancellations.increment();
        } catch (Exception e) {
            log.error("Could not tell the delivery workers that job {} was cancelled; its delivery may still be made",
                    jobId, e);
        }
    }

    private void send(List<? extends CompletableFuture<?>> acks) throws Exception {
        KafkaAcks.awaitAll(acks, properties.ackTimeout());
    }

    /** A full batch may have more behind it; otherwise wait for a change. A failed batch stays unpublished. */
    @Override
    Duration pass() {
        return runOnce() ? Duration.ZERO : properties.endpointPollInterval();
    }

    @Override
    Duration afterFailure() {
        return properties.endpointPollInterval();
    }
}
