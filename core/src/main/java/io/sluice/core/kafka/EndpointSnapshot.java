package io.sluice.core.kafka;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.webhook.SigningKeys;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a delivery worker needs to know of an endpoint, as one record of the compacted
 * {@code sluice.endpoints} topic (key: the endpoint id). Every change that matters to
 * deliveries gives the endpoint a higher {@code version}, so a reader can tell which of two
 * descriptions is newer: this record's, or the one a delivery record carries.
 *
 * @param secret         the current signing key
 * @param previousSecret the key a rotation replaced, signing too until {@code previousSecretUntil}; null if none
 * @param disabledReason why the endpoint is disabled; null while it is enabled
 * @param headers        the endpoint's custom headers; null or empty: none
 */
public record EndpointSnapshot(UUID id, UUID organizationId, long version, String url, String secret,
                               String previousSecret, Instant previousSecretUntil,
                               boolean enabled, String disabledReason, Integer rateLimit, Integer maxConcurrency,
                               Map<String, String> headers) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public SigningKeys signingKeys() {
        return new SigningKeys(secret, previousSecret, previousSecretUntil);
    }

    public Map<String, String> headersOrNone() {
        return headers == null ? Map.of() : headers;
    }

    public EndpointLimits limits() {
        return new EndpointLimits(rateLimit, maxConcurrency);
    }

    public String key() {
        return id.toString();
    }

    public byte[] encode() {
        return JSON.writeValueAsBytes(this);
    }

    /** @throws MalformedRecordException when the bytes are no snapshot */
    public static EndpointSnapshot decode(byte[] value) {
        try {
            EndpointSnapshot snapshot = JSON.readValue(value, EndpointSnapshot.class);
            if (snapshot.id() == null || snapshot.url() == null || snapshot.secret() == null) {
                throw new MalformedRecordException("endpoint snapshot without id, url or secret", null);
            }
            snapshot.signingKeys();
            return snapshot;
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedRecordException("unreadable endpoint snapshot", e);
        }
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "EndpointSnapshot[id=" + id + ", version=" + version + ", url=" + url + ", enabled=" + enabled + "]";
    }
}
