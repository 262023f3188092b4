package io.sluice.worker;

import io.sluice.core.event.EventCodec;
import io.sluice.core.event.JobEvent;
import io.sluice.core.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Puts job events on {@code sluice.events}, keyed by job id, and reports when Kafka has them. */
@Component
public class EventPublisher {

    private final RecordSender sender;
    private final Topics topics;

    public EventPublisher(RecordSender sender, Topics topics) {
        this.sender = sender;
        this.topics = topics;
    }

    /** @param onDurable run once the event is acknowledged by Kafka */
    public void publish(JobEvent event, Runnable onDurable) {
        sender.send(topics.events(), event.jobId().toString(),
                Map.of(JobEvent.TYPE_HEADER, event.type().getBytes(StandardCharsets.UTF_8)),
                EventCodec.encode(event), onDurable);
    }
}
