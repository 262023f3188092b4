package io.sluice.core.webhook;

import java.time.Instant;

/**
 * Signs a delivery as Standard Webhooks v1 defines it: each key that signs at that moment adds
 * one space-separated entry to {@code webhook-signature}, over
 * {@code {webhook-id}.{webhook-timestamp}.{body}} with the body exactly as it is sent.
 */
public final class WebhookSigner {

    public static final String HEADER_ID = "webhook-id";
    public static final String HEADER_TIMESTAMP = "webhook-timestamp";
    public static final String HEADER_SIGNATURE = "webhook-signature";

    private WebhookSigner() {
    }

    /**
     * @return the {@code webhook-signature} header value: the current key's entry, then the
     * previous key's while its grace period lasts
     * @throws IllegalArgumentException when a key is unusable
     */
    public static String sign(SigningKeys keys, Instant now, String messageId, long timestampSeconds, byte[] body) {
        String current = SigningKey.parse(keys.current()).sign(messageId, timestampSeconds, body);
        if (!keys.previousSignsAt(now)) {
            return current;
        }
        return current + " " + SigningKey.parse(keys.previous()).sign(messageId, timestampSeconds, body);
    }
}
