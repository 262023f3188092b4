package io.sluice.ingest.message;

import io.sluice.core.job.QueueName;
import io.sluice.core.job.Uuid7;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.IdempotencyKeys;
import io.sluice.ingest.web.NameList;
import io.sluice.store.IngestStore.MessageToPublish;
import io.sluice.store.NewJob;
import io.sluice.store.NewMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a request to publish, over REST or gRPC, into a message ready to write: checked
 * (event type, payload size and schema, channels, idempotency key) and carrying the rule
 * that makes one delivery job per subscriber whose payload filter it passes.
 */
@Component
public class MessageFactory {

    static final int MAX_CHANNELS = 10;

    /** A request to publish, as either API received it. */
    public record Spec(String eventType, JsonNode payload, String idempotencyKey, List<String> channels) {
    }

    private final KnownEventTypes eventTypes;
    private final PayloadSchemas schemas;
    private final PayloadFilters filters;
    private final IngestProperties properties;
    private final JsonMapper json;
    private final Uuid7 ids;

    public MessageFactory(KnownEventTypes eventTypes, PayloadSchemas schemas, PayloadFilters filters,
                          IngestProperties properties, JsonMapper json, Uuid7 ids) {
        this.eventTypes = eventTypes;
        this.schemas = schemas;
        this.filters = filters;
        this.properties = properties;
        this.json = json;
        this.ids = ids;
    }

    /** @throws ApiException 400 or 413 naming what is wrong */
    public MessageToPublish create(UUID organizationId, Spec spec) {
        String eventType = spec.eventType();
        String problem = QueueName.problemWith(eventType, "event_type");
        if (problem != null) {
            throw ApiException.validation(problem, Map.of("field", "event_type"));
        }
        if (spec.payload() == null || spec.payload().isMissingNode() || spec.payload().isNull()) {
            throw ApiException.validation("payload is required", Map.of("field", "payload"));
        }
        String payload = json.writeValueAsString(spec.payload());
        if (payload.getBytes(StandardCharsets.UTF_8).length > properties.maxPayloadBytes()) {
            throw ApiException.payloadTooLarge("payload is larger than " + properties.maxPayloadBytes() + " bytes");
        }
        String key = IdempotencyKeys.checked(spec.idempotencyKey());
        List<String> channels = NameList.checked("channels", spec.channels(), MAX_CHANNELS);
        eventTypes.get(organizationId, eventType).filter(type -> type.schema() != null).ifPresent(type -> {
            List<String> violations = schemas.problems(type.schema(), spec.payload());
            if (!violations.isEmpty()) {
                throw ApiException.validation("payload does not match the schema of event type " + eventType,
                        Map.of("field", "payload", "errors", violations));
            }
        });
        NewMessage message = new NewMessage(ids.next(), organizationId, eventType, payload, channels, key);
        JsonNode body = spec.payload();
        return new MessageToPublish(message, subscriber ->
                filters.accepts(subscriber.payloadFilter(), body)
                        ? Optional.of(new NewJob(ids.next(), organizationId, eventType, payload, subscriber.endpointId(),
                                0, null, null, null, null, null, message.id()))
                        : Optional.empty());
    }
}
