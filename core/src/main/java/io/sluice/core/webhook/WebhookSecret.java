package io.sluice.core.webhook;

import java.util.Arrays;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * A Standard Webhooks symmetric signing secret: random bytes shown as {@code whsec_<base64>}.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    /** 32 bytes: inside the 24-64 the specification asks for, the size of an HMAC-SHA256 key block's half. */
    static final int GENERATED_BYTES = 32;

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

    byte[] key() {
        return key;
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
