package io.sluice.scheduler;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.DeliveryParked;
import io.sluice.core.event.DeliveryWithheld;
import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobChangeSet;
import io.sluice.core.event.JobEvent;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.event.WorkerChanged;
import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.store.EndpointHealthStore;
import io.sluice.store.ProjectionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Writes {@code sluice.events} to PostgreSQL in batches: one transaction per polled batch for
 * jobs and attempts, then one for what they say of their endpoints' health; offsets are
 * committed by the container only after both. A crash in between replays the batch, which
 * the stores apply idempotently.
 */
@Component
public class StateProjector {

    private static final Logger log = LoggerFactory.getLogger(StateProjector.class);

    private final ProjectionStore store;
    private final EndpointHealthStore endpointHealth;
    private final EndpointHealthProperties endpointPolicy;
    private final Counter projected;
    private final Counter malformed;

    public StateProjector(ProjectionStore store, EndpointHealthStore endpointHealth,
                          EndpointHealthProperties endpointPolicy, MeterRegistry meters) {
        this.store = store;
        this.endpointHealth = endpointHealth;
        this.endpointPolicy = endpointPolicy;
        this.projected = meters.counter("sluice.projector.events");
        this.malformed = meters.counter("sluice.projector.malformed");
    }

    @KafkaListener(id = "sluice-projector", topics = "#{@topics.events()}",
            containerFactory = SchedulerConfiguration.PROJECTOR_CONTAINER_FACTORY,
            autoStartup = "${sluice.projector.enabled:true}")
    public void project(List<ConsumerRecord<String, byte[]>> records) {
        List<AttemptRecorded> attempts = new ArrayList<>(records.size());
        List<DeliveryWithheld> withheld = new ArrayList<>();
        List<DeliveryParked> parked = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Header typeHeader = record.headers().lastHeader(JobEvent.TYPE_HEADER);
            String type = typeHeader == null ? null : new String(typeHeader.value(), StandardCharsets.UTF_8);
            if (JobChangeSet.TYPE.equals(type) || JobEvent.JOB_STATE.equals(type) || WorkerChanged.TYPE.equals(type)) {
                continue; // written from PostgreSQL: there is nothing to project back
            }
            try {
                JobEvent event = EventCodec.decode(type, record.value());
                switch (event) {
                    case AttemptRecorded attempt -> attempts.add(attempt);
                    case DeliveryWithheld held -> withheld.add(held);
                    case DeliveryParked held -> parked.add(held);
                    case JobStateChanged change -> {
                        // skipped above
                    }
                }
            } catch (MalformedRecordException e) {
                // Skipping is safe: the reconciler re-publishes a job whose outcome never arrives.
                malformed.increment();
                log.error("Skipping malformed event at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
        store.recordAttempts(attempts);
        store.recordWithheld(withheld);
        store.recordParked(parked);
        // After the jobs: a failure here replays the batch, which both stores apply idempotently.
        endpointHealth.recordOutcomes(attempts, endpointPolicy.disableAfter());
        projected.increment(attempts.size() + withheld.size() + parked.size());
    }
}
