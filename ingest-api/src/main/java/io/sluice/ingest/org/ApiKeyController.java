package io.sluice.ingest.org;

import io.sluice.core.job.QueueName;
import io.sluice.ingest.auth.ApiKeyIssuer;
import io.sluice.ingest.auth.Authenticator;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.DisplayName;
import io.sluice.ingest.web.Ids;
import io.sluice.store.ApiKey;
import io.sluice.store.ApiKeyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * An organization's API keys. A key is shown once, when it is made; afterwards only what it
 * may do. Changes take effect at once on this node and within seconds on the others (the
 * authenticator's cache). Only a key that reaches every queue gets here (see
 * {@link AuthenticationFilter}), so a queue-limited key cannot make itself a wider one.
 */
@RestController
public class ApiKeyController {

    private static final int MAX_QUEUES = 100;
    private static final int MAX_RATE_LIMIT = 1_000_000;

    /** @param queues the queues it may use; empty or {@code ["*"]}: all */
    public record CreateApiKey(String name, List<String> queues, Integer rateLimit, Instant expiresAt) {
    }

    /** A partial update: what is absent stays. {@code expires_at} cannot be removed, only moved. */
    public record UpdateApiKey(String name, List<String> queues, Integer rateLimit, Boolean isActive,
                               Instant expiresAt) {
    }

    public record ApiKeyView(UUID id, String name, List<String> queues, Integer rateLimit, boolean isActive,
                             Instant createdAt, Instant lastUsed, Instant expiresAt) {

        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id(), key.name(), key.queues(), key.rateLimit(), key.active(), key.createdAt(),
                    key.lastUsed(), key.expiresAt());
        }
    }

    /** The only time the key itself is shown. */
    public record CreatedApiKey(UUID id, String key, String name, List<String> queues, Integer rateLimit,
                                Instant createdAt, Instant expiresAt) {

        static CreatedApiKey of(ApiKeyIssuer.Issued issued) {
            ApiKey key = issued.key();
            return new CreatedApiKey(key.id(), issued.secret(), key.name(), key.queues(), key.rateLimit(),
                    key.createdAt(), key.expiresAt());
        }
    }

    private final ApiKeyStore keys;
    private final ApiKeyIssuer issuer;
    private final Authenticator authenticator;
    private final Clock clock;

    public ApiKeyController(ApiKeyStore keys, ApiKeyIssuer issuer, Authenticator authenticator, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    @GetMapping("/api/v1/api-keys")
    public List<ApiKeyView> list(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId) {
        return keys.list(organizationId).stream().map(ApiKeyView::of).toList();
    }

    @PostMapping("/api/v1/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    public CreatedApiKey create(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                @RequestBody(required = false) CreateApiKey request) {
        if (request == null) {
            throw ApiException.validation("name is required", Map.of("field", "name"));
        }
        return CreatedApiKey.of(issuer.issue(organizationId, DisplayName.checked(request.name()),
                checkedQueues(request.queues()), checkedRateLimit(request.rateLimit()),
                checkedExpiry(request.expiresAt(), clock.instant())));
    }

    @GetMapping("/api/v1/api-keys/{id}")
    public ApiKeyView get(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                          @PathVariable String id) {
        return Ids.parse(id).flatMap(uuid -> keys.get(organizationId, uuid)).map(ApiKeyView::of)
                .orElseThrow(ApiKeyController::notFound);
    }

    @PutMapping("/api/v1/api-keys/{id}")
    public ApiKeyView update(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                             @PathVariable String id, @RequestBody(required = false) UpdateApiKey request) {
        UUID keyId = Ids.parse(id).orElseThrow(ApiKeyController::notFound);
        UpdateApiKey change = request != null ? request : new UpdateApiKey(null, null, null, null, null);
        String name = change.name() == null ? null : DisplayName.checked(change.name());
        List<String> queues = change.queues() == null ? null : checkedQueues(change.queues());
        Integer rateLimit = checkedRateLimit(change.rateLimit());
        Instant expiresAt = checkedExpiry(change.expiresAt(), clock.instant());
        ApiKey updated = keys.update(organizationId, keyId, key -> {
            ApiKey next = key;
            next = name == null ? next : next.withName(name);
            next = queues == null ? next : next.withQueues(queues);
            next = rateLimit == null ? next : next.withRateLimit(rateLimit);
            next = change.isActive() == null ? next : next.withActive(change.isActive());
            return expiresAt == null ? next : next.withExpiresAt(expiresAt);
        }).orElseThrow(ApiKeyController::notFound);
        authenticator.forgetAll();
        return ApiKeyView.of(updated);
    }

    /** Deletes the key for good (its login sessions end with it); 204. */
    @DeleteMapping("/api/v1/api-keys/{id}")
    public ResponseEntity<Void> delete(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                       @PathVariable String id) {
        UUID keyId = Ids.parse(id).orElseThrow(ApiKeyController::notFound);
        if (!keys.delete(organizationId, keyId)) {
            throw notFound();
        }
        authenticator.forgetAll();
        return ResponseEntity.noContent().build();
    }

    static List<String> checkedQueues(List<String> queues) {
        if (queues == null) {
            return List.of();
        }
        if (queues.size() > MAX_QUEUES) {
            throw ApiException.validation("queues may name at most " + MAX_QUEUES + " queues", Map.of("field", "queues"));
        }
        for (String queue : queues) {
            if (!"*".equals(queue) && QueueName.problemWith(queue) != null) {
                throw ApiException.validation("queues: " + QueueName.problemWith(queue), Map.of("field", "queues"));
            }
        }
        return queues.contains("*") ? List.of() : List.copyOf(queues);
    }

    static Integer checkedRateLimit(Integer rateLimit) {
        if (rateLimit != null && (rateLimit < 1 || rateLimit > MAX_RATE_LIMIT)) {
            throw ApiException.validation("rate_limit is requests per minute, 1 to " + MAX_RATE_LIMIT,
                    Map.of("field", "rate_limit"));
        }
        return rateLimit;
    }

    static Instant checkedExpiry(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiException.validation("expires_at must be in the future", Map.of("field", "expires_at"));
        }
        return expiresAt;
    }

    private static ApiException notFound() {
        return ApiException.notFound("API key not found");
    }
}
