package io.sluice.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.sluice.testkit.Ed25519Verifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

    private final WebhookSecret secret = WebhookSecret.generate(new Random(42));
    private final WebhookSecret next = WebhookSecret.generate(new Random(43));

    @Test
    void aSignatureVerifiesWithTheOfficialStandardWebhooksLibrary() throws Exception {
        // given
        String body = "{\"text\":\"caf\u00e9\",\"n\":1}";
        long now = Instant.now().getEpochSecond();

        // when
        String signature = WebhookSigner.sign(SigningKeys.of(secret.toString()), NOW, "msg_1", now, body.getBytes(StandardCharsets.UTF_8));

        // then
        new Webhook(secret.toString()).verify(body, Map.of(
                "webhook-id", List.of("msg_1"),
                "webhook-timestamp", List.of(Long.toString(now)),
                "webhook-signature", List.of(signature)));
        assertThat(signature).startsWith("v1,");
    }

    @Test
    void aChangedBodyNoLongerVerifies() {
        long now = Instant.now().getEpochSecond();
        String signature = WebhookSigner.sign(SigningKeys.of(secret.toString()), NOW, "msg_1", now, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new Webhook(secret.toString()).verify("{\"a\": 1}", Map.of(
                "webhook-id", List.of("msg_1"),
                "webhook-timestamp", List.of(Long.toString(now)),
                "webhook-signature", List.of(signature))))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void matchesTheOfficialLibrarysOwnSignature() throws Exception {
        byte[] body = "{\"x\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);

        String ours = WebhookSigner.sign(SigningKeys.of(secret.toString()), NOW, "msg_2", 1_700_000_000L, body);
        String theirs = new Webhook(secret.toString()).sign("msg_2", 1_700_000_000L, new String(body, StandardCharsets.UTF_8));

        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void aSecretRoundTripsThroughItsTextForm() {
        assertThat(WebhookSecret.parse(secret.toString())).isEqualTo(secret);
        assertThat(secret.toString()).startsWith("whsec_");
    }

    @Test
    void refusesSecretsOfTheWrongShape() {
        assertThatThrownBy(() -> WebhookSecret.parse("sk_nope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_AAAA")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duringTheGracePeriodOfARotationBothSecretsSignAndEitherVerifies() throws Exception {
        // given
        SigningKeys rotated = SigningKeys.of(secret.toString()).rotatedTo(next.toString(), NOW.plusSeconds(3600));
        long timestamp = Instant.now().getEpochSecond();
        String body = "{\"a\":1}";

        // when
        String signature = WebhookSigner.sign(rotated, NOW.plusSeconds(3599), "msg_3", timestamp,
                body.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(signature.split(" ")).hasSize(2);
        Map<String, List<String>> headers = Map.of("webhook-id", List.of("msg_3"),
                "webhook-timestamp", List.of(Long.toString(timestamp)), "webhook-signature", List.of(signature));
        new Webhook(secret.toString()).verify(body, headers);
        new Webhook(next.toString()).verify(body, headers);
    }

    @Test
    void afterTheGracePeriodOnlyTheNewSecretSigns() throws Exception {
        SigningKeys rotated = SigningKeys.of(secret.toString()).rotatedTo(next.toString(), NOW.plusSeconds(3600));
        long timestamp = Instant.now().getEpochSecond();
        String body = "{\"a\":1}";

        String signature = WebhookSigner.sign(rotated, NOW.plusSeconds(3600), "msg_4", timestamp,
                body.getBytes(StandardCharsets.UTF_8));

        Map<String, List<String>> headers = Map.of("webhook-id", List.of("msg_4"),
                "webhook-timestamp", List.of(Long.toString(timestamp)), "webhook-signature", List.of(signature));
        new Webhook(next.toString()).verify(body, headers);
        assertThatThrownBy(() -> new Webhook(secret.toString()).verify(body, headers))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void anEd25519SignatureVerifiesWithThePublicKeyOnly() throws Exception {
        // given
        Ed25519Key key = Ed25519Key.generate();
        byte[] body = "{\"invoice\":42}".getBytes(StandardCharsets.UTF_8);

        // when
        String signature = WebhookSigner.sign(SigningKeys.of(key.toString()), NOW, "msg_5", 1_700_000_000L, body);

        // then
        assertThat(signature).startsWith("v1a,");
        assertThat(Ed25519Verifier.verifies(key.verificationKey(), "msg_5", 1_700_000_000L, body, signature)).isTrue();
        assertThat(Ed25519Verifier.verifies(Ed25519Key.generate().verificationKey(), "msg_5", 1_700_000_000L, body,
                signature)).isFalse();
        byte[] changed = "{\"invoice\":43}".getBytes(StandardCharsets.UTF_8);
        assertThat(Ed25519Verifier.verifies(key.verificationKey(), "msg_5", 1_700_000_000L, changed, signature)).isFalse();
    }

    @Test
    void anEd25519KeyRoundTripsThroughItsTextForm() {
        Ed25519Key key = Ed25519Key.generate();

        assertThat(SigningKey.parse(key.toString())).isEqualTo(key);
        assertThat(key.toString()).startsWith("whsk_");
        assertThat(key.verificationKey()).startsWith("whpk_");
        assertThat(SigningKey.parse(secret.toString())).isEqualTo(secret);
    }

    @Test
    void aKeyNeverAppearsInTheTextOfTheKeysItBelongsTo() {
        SigningKeys keys = SigningKeys.of(secret.toString()).rotatedTo(next.toString(), NOW);

        assertThat(keys.toString()).doesNotContain(secret.toString()).doesNotContain(next.toString());
    }
}
