package io.sluice.core.system;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Something that happened in an organization, to be sent to its outgoing webhooks
 * subscribed to that type, as the JSON body {@code {event, data, timestamp}}.
 *
 * @param aboutEndpoint the endpoint whose job or health this is about, or null; events about
 *                      outgoing webhooks themselves are never sent, so they cannot feed on
 *                      their own deliveries
 * @param data          the event's fields, in the order they are written
 */
public record SystemEvent(SystemEventType type, UUID organizationId, UUID aboutEndpoint, Instant at,
                          Map<String, Object> data) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public SystemEvent {
        Objects.requireNonNull(type);
        Objects.requireNonNull(organizationId);
        Objects.requireNonNull(at);
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** JSON text as a value of {@link #data}, written as the JSON it is rather than as a string. */
    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** The job it is about ({@code data.job_id}), or null. */
    public UUID jobId() {
        return data.get("job_id") instanceof String id ? UUID.fromString(id) : null;
    }

    /** The body delivered: {@code {"event": "job.completed", "data": {...}, "timestamp": "..."}}. */
    public String body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", type.wireName());
        body.put("data", data);
        body.put("timestamp", at.toString());
        return JSON.writeValueAsString(body);
    }
}
