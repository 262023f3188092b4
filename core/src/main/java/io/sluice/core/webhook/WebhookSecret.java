package io.sluice.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Base64;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Standard Webhooks symmetric signing secret: random bytes shown as {@code whsec_<base64>}.
 * It signs with HMAC-SHA256 ({@code v1,<base64>}).
 */
public final class WebhookSecret implements SigningKey {

    public static final String PREFIX = "whsec_";
    /** 32 bytes: inside the 24-64 the specification asks for, the size of an HMAC-SHA256 key block's half. */
    static final int GENERATED_BYTES = 32;

    /** {@code Mac.getInstance} searches the security providers on every call; a Mac is not thread-safe. */
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    });

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    public static WebhookSecret generate(RandomGenerator random) {
        byte[] key = new byte[GENERATED_BYTES];
        random.nextBytes(key);
        return new WebhookSecret(key);
    }

    public static WebhookSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        if (key.length < 24 || key.length > 64) {
            throw new IllegalArgumentException("a webhook secret has 24 to 64 bytes, not " + key.length);
        }
        return new WebhookSecret(key);
    }

    @Override
    public String sign(String messageId, long timestampSeconds, byte[] body) {
        try {
            Mac mac = HMAC_SHA256.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable signing key", e);
        }
    }

    @Override
    public Algorithm algorithm() {
        return Algorithm.HMAC_SHA256;
    }

    /** The secret itself: the receiver signs what it received and compares. */
    @Override
    public String verificationKey() {
        return toString();
    }

    @Override
    public String toString() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret that && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }
}
