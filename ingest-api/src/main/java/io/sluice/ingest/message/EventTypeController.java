package io.sluice.ingest.message;

import io.sluice.core.job.QueueName;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.EventType;
import io.sluice.store.EventTypeStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Event types: the names messages are published under. Registering one is optional; a
 * registered type can carry a JSON Schema its payloads must satisfy.
 */
@RestController
public class EventTypeController {

    static final int MAX_SCHEMA_BYTES = 64 * 1024;

    public record CreateEventType(String name, String description, JsonNode schema) {
    }

    public record EventTypeView(String name, String description, JsonNode schema, Instant createdAt,
                                Instant updatedAt) {
    }

    private final EventTypeStore eventTypes;
    private final KnownEventTypes knownEventTypes;
    private final PayloadSchemas schemas;
    private final JsonMapper json;
    private final Clock clock;

    public EventTypeController(EventTypeStore eventTypes, KnownEventTypes knownEventTypes, PayloadSchemas schemas,
                               JsonMapper json, Clock clock) {
        this.eventTypes = eventTypes;
        this.knownEventTypes = knownEventTypes;
        this.schemas = schemas;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping("/api/v1/event-types")
    @ResponseStatus(HttpStatus.CREATED)
    public EventTypeView create(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                @RequestBody CreateEventType request) {
        String problem = QueueName.problemWith(request.name(), "name");
        if (problem != null) {
            throw ApiException.validation(problem, Map.of("field", "name"));
        }
        if (request.description() != null && request.description().length() > 1000) {
            throw ApiException.validation("description must be at most 1000 characters", Map.of("field", "description"));
        }
        String schema = null;
        if (request.schema() != null && !request.schema().isNull()) {
            schema = json.writeValueAsString(request.schema());
            if (schema.length() > MAX_SCHEMA_BYTES) {
                throw ApiException.validation("schema must be at most 64 KB of JSON", Map.of("field", "schema"));
            }
            schemas.check(request.schema());
        }
        Instant now = clock.instant();
        EventType type = new EventType(organizationId, request.name(), request.description(), schema, now, now);
        if (!eventTypes.create(type)) {
            throw ApiException.conflict("event type " + request.name() + " exists");
        }
        knownEventTypes.forget(organizationId, request.name());
        return view(type);
    }

    @GetMapping("/api/v1/event-types")
    public List<EventTypeView> list(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                    @RequestParam(defaultValue = "100") int limit,
                                    @RequestParam(defaultValue = "0") int offset) {
        return eventTypes.list(organizationId, Math.clamp(limit, 1, 100), Math.max(offset, 0)).stream()
                .map(this::view).toList();
    }

    @GetMapping("/api/v1/event-types/{name}")
    public EventTypeView get(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                             @PathVariable String name) {
        return eventTypes.get(organizationId, name).map(this::view)
                .orElseThrow(() -> ApiException.notFound("Event type not found"));
    }

    private EventTypeView view(EventType type) {
        return new EventTypeView(type.name(), type.description(),
                type.schema() == null ? null : json.readTree(type.schema()), type.createdAt(), type.updatedAt());
    }
}
