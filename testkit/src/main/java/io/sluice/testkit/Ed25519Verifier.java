package io.sluice.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What a receiver does with an ed25519-signed delivery ({@code v1a} entries of
 * {@code webhook-signature}), written from the Standard Webhooks specification with the JDK
 * alone, since the official Java verifier checks symmetric signatures only.
 */
public final class Ed25519Verifier {

    /** The DER prefix that turns a raw 32-byte ed25519 public key into an X.509 encoding. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519Verifier() {
    }

    /** @return whether one {@code v1a} entry of the header verifies with the {@code whpk_} key */
    public static boolean verifies(String publicKey, String messageId, long timestamp, byte[] body, String header) {
        try {
            byte[] raw = Base64.getDecoder().decode(publicKey.substring("whpk_".length()));
            byte[] encoded = new byte[X509_PREFIX.length + raw.length];
            System.arraycopy(X509_PREFIX, 0, encoded, 0, X509_PREFIX.length);
            System.arraycopy(raw, 0, encoded, X509_PREFIX.length, raw.length);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
            for (String entry : header.split(" ")) {
                if (!entry.startsWith("v1a,")) {
                    continue;
                }
                Signature signature = Signature.getInstance("Ed25519");
                signature.initVerify(key);
                signature.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
                signature.update(body);
                if (signature.verify(Base64.getDecoder().decode(entry.substring(4)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
