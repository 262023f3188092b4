package io.sluice.ingest.job;

import io.sluice.core.job.Uuid7;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.IdempotencyKeys;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.web.QueueNames;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import io.sluice.store.NewJob;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates a requested job and turns it into a {@link NewJob}, or throws an
 * {@link ApiException} that says what is wrong. Limits are the Spooled contract's.
 */
@Component
public class JobFactory {

    static final int MAX_TAGS_BYTES = 64 * 1024;
    /** How far ahead a job may be scheduled: a year covers every business delay we know of. */
    static final Duration MAX_DELAY = Duration.ofDays(365);

    /**
     * The fields one job is made of, whichever route it came by.
     *
     * @param payloadJson the payload as JSON text, known to be one JSON value; null when absent
     */
    public record Spec(String queueName, String payloadJson, Integer priority, Integer maxRetries, Integer timeoutSeconds,
                Instant scheduledAt, Instant expiresAt, JsonNode tags, String idempotencyKey, String endpointId,
                String completionWebhook, String completionWebhookSecret) {

        /** A job without a completion callback. */
        public Spec(String queueName, String payloadJson, Integer priority, Integer maxRetries, Integer timeoutSeconds,
                    Instant scheduledAt, Instant expiresAt, JsonNode tags, String idempotencyKey, String endpointId) {
            this(queueName, payloadJson, priority, maxRetries, timeoutSeconds, scheduledAt, expiresAt, tags,
                    idempotencyKey, endpointId, null, null);
        }
    }

    private final JsonMapper json;
    private final EndpointStore endpoints;
    private final CompletionEndpoints completionEndpoints;
    private final IngestProperties properties;
    private final Uuid7 ids;
    private final Clock clock;
    /**
     * Endpoints known to exist, by id: their organization and until when that is trusted.
     * Deleting one through this node forgets it at once; one deleted through another node is
     * forgotten within {@link #KNOWN_ENDPOINT_TTL}, and a job accepted for it meanwhile is
     * dead-lettered by the relay ("endpoint deleted"), never lost.
     */
    private final Map<UUID, KnownEndpoint> knownEndpoints = new ConcurrentHashMap<>();

    static final Duration KNOWN_ENDPOINT_TTL = Duration.ofSeconds(10);

    private record KnownEndpoint(UUID organizationId, Instant until) {
    }

    public JobFactory(JsonMapper json, EndpointStore endpoints, CompletionEndpoints completionEndpoints,
                      IngestProperties properties, Uuid7 ids, Clock clock) {
        this.json = json;
        this.endpoints = endpoints;
        this.completionEndpoints = completionEndpoints;
        this.properties = properties;
        this.ids = ids;
        this.clock = clock;
    }

    /** @throws ApiException (400, 403 or 413) when the spec is invalid or names a queue the caller's key may not use */
    public NewJob create(Caller caller, Spec spec) {
        caller.requireQueue(QueueNames.checked(spec.queueName()));
        UUID organizationId = caller.organizationId();
        String payload = spec.payloadJson();
        if (payload == null) {
            throw ApiException.validation("payload is required", Map.of("field", "payload"));
        }
        // A char is at most 3 bytes of UTF-8 (a surrogate pair, 2 chars, is 4): only a payload of
        // more than a third of the limit in chars needs its bytes counted.
        if (payload.length() > properties.maxPayloadBytes() / 3
                && payload.getBytes(StandardCharsets.UTF_8).length > properties.maxPayloadBytes()) {
            throw ApiException.payloadTooLarge("payload is larger than " + properties.maxPayloadBytes() + " bytes");
        }
        int priority = within("priority", spec.priority(), 0, -100, 100);
        // Left open, max_retries and timeout_seconds come from the queue's configuration when the job is written.
        Integer maxRetries = spec.maxRetries() == null ? null : within("max_retries", spec.maxRetries(), 0, 0, 100);
        Integer timeout = spec.timeoutSeconds() == null ? null : within("timeout_seconds", spec.timeoutSeconds(), 0, 1, 86_400);
        Instant now = clock.instant();
        if (spec.scheduledAt() != null && spec.scheduledAt().isAfter(now.plus(MAX_DELAY))) {
            throw ApiException.validation("scheduled_at must be within " + MAX_DELAY.toDays() + " days",
                    Map.of("field", "scheduled_at"));
        }
        if (spec.expiresAt() != null && !spec.expiresAt().isAfter(now)) {
            throw ApiException.validation("expires_at must be in the future", Map.of("field", "expires_at"));
        }
        if (spec.expiresAt() != null && spec.scheduledAt() != null && !spec.expiresAt().isAfter(spec.scheduledAt())) {
            throw ApiException.validation("expires_at must be after scheduled_at", Map.of("field", "expires_at"));
        }
        String key = IdempotencyKeys.checked(spec.idempotencyKey());
        String tags = null;
        if (spec.tags() != null && !spec.tags().isNull()) {
            tags = json.writeValueAsString(spec.tags());
            if (tags.length() > MAX_TAGS_BYTES) {
                throw ApiException.validation("tags must be at most 64 KB of JSON", Map.of("field", "tags"));
            }
        }
        UUID endpointId = spec.endpointId() == null ? null : endpointOf(organizationId, spec.endpointId());
        if (spec.completionWebhook() == null && spec.completionWebhookSecret() != null) {
            throw ApiException.validation("completion_webhook_secret is given without a completion_webhook",
                    Map.of("field", "completion_webhook_secret"));
        }
        UUID completionEndpoint = spec.completionWebhook() == null ? null
                : completionEndpoints.of(organizationId, spec.completionWebhook(), spec.completionWebhookSecret());
        return new NewJob(ids.next(), organizationId, spec.queueName(), payload, endpointId, priority, maxRetries,
                timeout, key, tags, spec.expiresAt(), null, spec.scheduledAt(), completionEndpoint);
    }

    /** A payload as a request body held it, as JSON text; null when the request had none. */
    public String text(JsonNode payload) {
        return payload == null || payload.isMissingNode() ? null : json.writeValueAsString(payload);
    }

    /** The endpoint was deleted: jobs naming it are refused from now on. */
    public void forgetEndpoint(UUID endpointId) {
        knownEndpoints.remove(endpointId);
    }

    private UUID endpointOf(UUID organizationId, String text) {
        UUID id = Ids.parse(text).orElseThrow(() -> unknownEndpoint(text));
        KnownEndpoint known = knownEndpoints.get(id);
        Instant now = clock.instant();
        if (known == null || !known.organizationId().equals(organizationId) || known.until().isBefore(now)) {
            // Outgoing webhooks receive system events only.
            endpoints.get(organizationId, id).filter(endpoint -> endpoint.kind() == Endpoint.Kind.WEBHOOK)
                    .orElseThrow(() -> unknownEndpoint(text));
            knownEndpoints.put(id, new KnownEndpoint(organizationId, now.plus(KNOWN_ENDPOINT_TTL)));
        }
        return id;
    }

    private static ApiException unknownEndpoint(String text) {
        return ApiException.validation("endpoint_id " + text + " does not name an endpoint of this organization",
                Map.of("field", "endpoint_id"));
    }

    private static int within(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw ApiException.validation(field + " must be between " + min + " and " + max, Map.of("field", field));
        }
        return v;
    }
}
