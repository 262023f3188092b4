package io.sluice.ingest.job;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.core.job.Uuid7;
import io.sluice.core.webhook.WebhookSecret;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.endpoint.EndpointUrls;
import io.sluice.ingest.relay.DirectoryPublisher;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.stereotype.Component;

/**
 * Where a job's {@code completion_webhook} callback goes: an endpoint of kind {@code completion}
 * per organization, URL and secret, made by the first job that names them and shared by every
 * later one (so callbacks get the endpoints' signing, SSRF guard, retries and dead letters, and
 * the delivery directory grows with the receivers, not with the jobs).
 *
 * <p>The secret is a Standard Webhooks one ({@code whsec_...}), or any text of 24 to 64 bytes,
 * whose UTF-8 bytes are then the HMAC key. Jobs that give none are signed with a secret Sluice
 * generates and does not show: their receiver cannot verify them.
 */
@Component
public class CompletionEndpoints {

    static final String URL_FIELD = "completion_webhook";
    static final String SECRET_FIELD = "completion_webhook_secret";

    private record Key(UUID organizationId, String url, String secret) {
    }

    /** Completion endpoints are never deleted, so what is known stays true; the bound is for memory. */
    private final Cache<Key, UUID> known = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final EndpointStore endpoints;
    private final EndpointUrls urls;
    private final DirectoryPublisher publisher;
    private final IngestProperties properties;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;

    public CompletionEndpoints(EndpointStore endpoints, EndpointUrls urls, DirectoryPublisher publisher,
                               IngestProperties properties, Uuid7 ids, RandomGenerator secureRandom, Clock clock) {
        this.endpoints = endpoints;
        this.urls = urls;
        this.publisher = publisher;
        this.properties = properties;
        this.ids = ids;
        this.secureRandom = secureRandom;
        this.clock = clock;
    }

    /**
     * @return the completion endpoint for that URL and secret (null: none given, a generated one)
     * @throws ApiException 400 when the URL may not receive deliveries or the secret is unusable
     */
    public UUID of(UUID organizationId, String url, String secret) {
        String checkedUrl = urls.checked(url, URL_FIELD);
        String signingSecret = secret == null ? null : signingSecret(secret);
        return known.get(new Key(organizationId, checkedUrl, signingSecret), key -> {
            boolean given = key.secret() != null;
            Endpoint candidate = Endpoint.forCompletions(ids.next(), organizationId, checkedUrl,
                    given ? key.secret() : WebhookSecret.generate(secureRandom).toString(), given,
                    (int) properties.defaultEndpointTimeout().toMillis(), clock.instant());
            EndpointStore.CompletionEndpoint endpoint = endpoints.completionEndpoint(candidate);
            if (endpoint.created()) {
                publisher.wake();
            }
            return endpoint.id();
        });
    }

    /** The secret as the endpoint keeps it ({@code whsec_<base64 of the key>}). */
    private static String signingSecret(String secret) {
        if (secret.startsWith(WebhookSecret.PREFIX)) {
            try {
                return WebhookSecret.parse(secret).toString();
            } catch (IllegalArgumentException e) {
                throw invalidSecret(SECRET_FIELD + " is not a usable Standard Webhooks secret: " + e.getMessage());
            }
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 24 || key.length > 64) {
            throw invalidSecret(SECRET_FIELD + " must be 24 to 64 bytes (or a whsec_ secret), not " + key.length);
        }
        return WebhookSecret.PREFIX + Base64.getEncoder().encodeToString(key);
    }

    private static ApiException invalidSecret(String message) {
        return ApiException.validation(message, Map.of("field", SECRET_FIELD));
    }
}
