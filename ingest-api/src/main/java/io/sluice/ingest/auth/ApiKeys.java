package io.sluice.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * API key format and hashing. Keys are {@code sk_live_} plus 32 random bytes (URL-safe
 * base64): the official clients refuse keys without an {@code sk_} or {@code sp_} prefix.
 * Only a SHA-256 of a key is stored; with 256 random bits a fast hash is enough (no
 * password stretching needed), and lookups by hash stay one index probe.
 */
public final class ApiKeys {

    public static final String PREFIX = "sk_live_";
    private static final int RANDOM_BYTES = 32;

    private ApiKeys() {
    }

    public static String generate(RandomGenerator random) {
        return randomToken(PREFIX, random);
    }

    /** {@code prefix} plus 32 random bytes, URL-safe base64: a secret that cannot be guessed. */
    public static String randomToken(String prefix, RandomGenerator random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean looksLikeKey(String candidate) {
        return candidate.startsWith("sk_") || candidate.startsWith("sp_");
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What may be shown of a key after creation: enough to recognise it, not to use it. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), PREFIX.length() + 6));
    }
}
