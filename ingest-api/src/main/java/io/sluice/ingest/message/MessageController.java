package io.sluice.ingest.message;

import io.sluice.core.job.QueueName;
import io.sluice.core.job.Uuid7;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.ApiKeyFilter;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.web.NameList;
import io.sluice.ingest.write.JobWriter;
import io.sluice.store.EventTypeStore;
import io.sluice.store.IngestStore.MessageToPublish;
import io.sluice.store.Message;
import io.sluice.store.MessageStore;
import io.sluice.store.NewJob;
import io.sluice.store.NewMessage;
import io.sluice.store.PublishedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    static final int MAX_CHANNELS = 10;
    static final int MAX_IDEMPOTENCY_KEY = 255;

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
    private final EventTypeStore eventTypes;
    private final PayloadSchemas schemas;
    private final PayloadFilters filters;
    private final JobWriter writer;
    private final IngestProperties properties;
    private final JsonMapper json;
    private final Uuid7 ids;

    public MessageController(MessageStore messages, EventTypeStore eventTypes, PayloadSchemas schemas,
                             PayloadFilters filters, JobWriter writer, IngestProperties properties, JsonMapper json,
                             Uuid7 ids) {
        this.messages = messages;
        this.eventTypes = eventTypes;
        this.schemas = schemas;
        this.filters = filters;
        this.writer = writer;
        this.properties = properties;
        this.json = json;
        this.ids = ids;
    }

    /** 202 with the message and its jobs; a repeated {@code idempotency_key} 200 with the earlier ones. */
    @PostMapping("/api/v1/messages")
    public ResponseEntity<Published> publish(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                                             @RequestBody PublishMessage request) {
        String eventType = request.eventType();
        String problem = QueueName.problemWith(eventType, "event_type");
        if (problem != null) {
            throw ApiException.validation(problem, Map.of("field", "event_type"));
        }
        if (request.payload() == null || request.payload().isMissingNode() || request.payload().isNull()) {
            throw ApiException.validation("payload is required", Map.of("field", "payload"));
        }
        String payload = json.writeValueAsString(request.payload());
        if (payload.getBytes(StandardCharsets.UTF_8).length > properties.maxPayloadBytes()) {
            throw ApiException.payloadTooLarge("payload is larger than " + properties.maxPayloadBytes() + " bytes");
        }
        String key = request.idempotencyKey();
        if (key != null && (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ApiException.validation("idempotency_key must be 1-255 characters", Map.of("field", "idempotency_key"));
        }
        List<String> channels = NameList.checked("channels", request.channels(), MAX_CHANNELS);
        eventTypes.get(organizationId, eventType).filter(type -> type.schema() != null).ifPresent(type -> {
            List<String> violations = schemas.problems(type.schema(), request.payload());
            if (!violations.isEmpty()) {
                throw ApiException.validation("payload does not match the schema of event type " + eventType,
                        Map.of("field", "payload", "errors", violations));
            }
        });
        NewMessage message = new NewMessage(ids.next(), organizationId, eventType, payload, channels, key);
        JsonNode body = request.payload();
        PublishedMessage published = writer.publish(new MessageToPublish(message, subscriber ->
                filters.accepts(subscriber.payloadFilter(), body)
                        ? Optional.of(new NewJob(ids.next(), organizationId, eventType, payload, subscriber.endpointId(),
                                0, null, null, null, null, null, message.id()))
                        : Optional.empty()));
        return ResponseEntity.status(published.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .body(new Published(published.messageId(), published.jobIds(), published.created()));
    }

    @GetMapping("/api/v1/messages/{id}")
    public MessageView get(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
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
