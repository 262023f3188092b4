package io.sluice.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a delivery as Standard Webhooks v1 defines it: HMAC-SHA256 over
 * {@code {webhook-id}.{webhook-timestamp}.{body}}, with the body exactly as it is sent.
 */
public final class WebhookSigner {

    public static final String HEADER_ID = "webhook-id";
    public static final String HEADER_TIMESTAMP = "webhook-timestamp";
    public static final String HEADER_SIGNATURE = "webhook-signature";

    /** {@code Mac.getInstance} searches the security providers on every call; a Mac is not thread-safe. */
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    });

    private WebhookSigner() {
    }

    /** @return the {@code webhook-signature} header value, {@code v1,<base64>} */
    public static String sign(WebhookSecret secret, String messageId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(secret.key(), "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable signing key", e);
        }
    }
}
