package io.sluice.ingest.message;

import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.write.JobWriter;
import io.sluice.store.Message;
import io.sluice.store.MessageStore;
import io.sluice.store.PublishedMessage;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Messages: one published event, delivered to every enabled endpoint subscribed to its event
 * type (and, when the endpoint names channels, published to one of them) whose payload filter,
 * if it has one, the payload matches. The message and its delivery jobs are written in one
 * transaction before the answer, by the group-commit writer that also writes jobs. A message's
 * deliveries are jobs in the queue named after its event type, so that queue's settings
 * (retry schedule, max_retries) apply to them.
 */
@RestController
public class MessageController {

    public record PublishMessage(String eventType, JsonNode payload, String idempotencyKey, List<String> channels) {
    }

    /** @param created false when the idempotency key named an earlier message: its ids are these */
    public record Published(UUID messageId, List<UUID> jobIds, boolean created) {
    }

    public record DeliveryView(UUID jobId, UUID endpointId, String status, int attempts, String lastError,
                               Instant updatedAt) {
    }

    public record MessageView(UUID id, String eventType, JsonNode payload, List<String> channels,
                              String idempotencyKey, Instant createdAt, List<DeliveryView> deliveries) {
    }

    private final MessageStore messages;
    private final MessageFactory factory;
    private final JobWriter writer;
    private final JsonMapper json;

    public MessageController(MessageStore messages, MessageFactory factory, JobWriter writer, JsonMapper json) {
        this.messages = messages;
        this.factory = factory;
        this.writer = writer;
        this.json = json;
    }

    /** 202 with the message and its jobs; a repeated {@code idempotency_key} 200 with the earlier ones. */
    @PostMapping("/api/v1/messages")
    public ResponseEntity<Published> publish(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                             @RequestBody PublishMessage request) {
        PublishedMessage published = writer.publish(factory.create(organizationId,
                new MessageFactory.Spec(request.eventType(), request.payload(), request.idempotencyKey(),
                        request.channels())));
        return ResponseEntity.status(published.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .body(new Published(published.messageId(), published.jobIds(), published.created()));
    }

    @GetMapping("/api/v1/messages/{id}")
    public MessageView get(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                           @PathVariable String id) {
        Message message = Ids.parse(id).flatMap(uuid -> messages.get(organizationId, uuid))
                .orElseThrow(() -> ApiException.notFound("Message not found"));
        return new MessageView(message.id(), message.eventType(), json.readTree(message.payload()), message.channels(),
                message.idempotencyKey(), message.createdAt(), message.deliveries().stream()
                .map(d -> new DeliveryView(d.jobId(), d.endpointId(), d.state(), d.attempts(), d.lastError(),
                        d.updatedAt()))
                .toList());
    }
}
