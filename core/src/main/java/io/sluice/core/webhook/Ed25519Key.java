package io.sluice.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * An ed25519 signing key, shown as {@code whsk_<base64 of seed and public key>} (the 64-byte
 * layout libsodium calls a secret key); its public key is {@code whpk_<base64>}.
 */
public final class Ed25519Key implements SigningKey {

    public static final String PREFIX = "whsk_";
    public static final String PUBLIC_PREFIX = "whpk_";
    private static final int PART = 32;

    private final byte[] seedAndPublicKey;
    private final PrivateKey privateKey;

    private Ed25519Key(byte[] seedAndPublicKey) {
        this.seedAndPublicKey = seedAndPublicKey;
        try {
            this.privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Arrays.copyOf(seedAndPublicKey, PART)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    /** A new key pair from the platform's strong random source. */
    public static Ed25519Key generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            // The standard encodings end with the raw 32-byte seed and public key.
            byte[] seed = lastPart(pair.getPrivate().getEncoded());
            byte[] publicKey = lastPart(pair.getPublic().getEncoded());
            byte[] both = Arrays.copyOf(seed, 2 * PART);
            System.arraycopy(publicKey, 0, both, PART, PART);
            return new Ed25519Key(both);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    public static Ed25519Key parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("an ed25519 signing key starts with " + PREFIX);
        }
        byte[] bytes = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        if (bytes.length != 2 * PART) {
            throw new IllegalArgumentException("an ed25519 signing key has 64 bytes, not " + bytes.length);
        }
        return new Ed25519Key(bytes);
    }

    @Override
    public String sign(String messageId, long timestampSeconds, byte[] body) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            signature.update(body);
            return "v1a," + Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable ed25519 key", e);
        }
    }

    @Override
    public Algorithm algorithm() {
        return Algorithm.ED25519;
    }

    /** {@code whpk_<base64>}: the raw 32-byte public key. */
    @Override
    public String verificationKey() {
        return PUBLIC_PREFIX + Base64.getEncoder().encodeToString(Arrays.copyOfRange(seedAndPublicKey, PART, 2 * PART));
    }

    private static byte[] lastPart(byte[] encoded) {
        return Arrays.copyOfRange(encoded, encoded.length - PART, encoded.length);
    }

    /** The text form, {@code whsk_...}: it holds the private key. */
    @Override
    public String toString() {
        return PREFIX + Base64.getEncoder().encodeToString(seedAndPublicKey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ed25519Key that && Arrays.equals(seedAndPublicKey, that.seedAndPublicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(seedAndPublicKey);
    }
}
