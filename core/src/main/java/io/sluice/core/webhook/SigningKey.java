package io.sluice.core.webhook;

/**
 * A key that signs deliveries as Standard Webhooks defines it: a symmetric secret
 * ({@code whsec_}, signatures {@code v1,}) or an ed25519 key pair ({@code whsk_}, signatures
 * {@code v1a,}; receivers verify with its public key, {@code whpk_}).
 */
public sealed interface SigningKey permits WebhookSecret, Ed25519Key {

    /** The kinds of key an endpoint can sign with. */
    enum Algorithm {
        /** HMAC-SHA256 with a shared secret: the Standard Webhooks default. */
        HMAC_SHA256,
        /** ed25519: the receiver holds only a public key, so it cannot sign deliveries itself. */
        ED25519;

        public SigningKey generate(java.util.random.RandomGenerator random) {
            return this == HMAC_SHA256 ? WebhookSecret.generate(random) : Ed25519Key.generate();
        }

        /** Its name in the API: {@code hmac-sha256} or {@code ed25519}. */
        public String wireName() {
            return this == HMAC_SHA256 ? "hmac-sha256" : "ed25519";
        }

        /** @return the algorithm of that wire name; empty for any other text */
        public static java.util.Optional<Algorithm> fromWireName(String name) {
            return java.util.Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst();
        }

        /** The kind of a key in its text form, told by its prefix alone (without building the key). */
        public static Algorithm of(String key) {
            return key != null && key.startsWith(Ed25519Key.PREFIX) ? ED25519 : HMAC_SHA256;
        }
    }

    /**
     * One entry of the {@code webhook-signature} header, over
     * {@code {messageId}.{timestampSeconds}.{body}}, with the body exactly as it is sent.
     */
    String sign(String messageId, long timestampSeconds, byte[] body);

    Algorithm algorithm();

    /** What a receiver verifies with: the secret itself, or the public key of a pair. */
    String verificationKey();

    /** @throws IllegalArgumentException when the text is no key of a known kind */
    static SigningKey parse(String text) {
        if (text != null && text.startsWith(Ed25519Key.PREFIX)) {
            return Ed25519Key.parse(text);
        }
        return WebhookSecret.parse(text);
    }
}
