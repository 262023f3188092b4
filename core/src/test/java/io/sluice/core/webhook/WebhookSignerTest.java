package io.sluice.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private final WebhookSecret secret = WebhookSecret.generate(new Random(42));

    @Test
    void aSignatureVerifiesWithTheOfficialStandardWebhooksLibrary() throws Exception {
        // given
        String body = "{\"text\":\"caf\u00e9\",\"n\":1}";
        long now = Instant.now().getEpochSecond();

        // when
        String signature = WebhookSigner.sign(secret, "msg_1", now, body.getBytes(StandardCharsets.UTF_8));

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
        String signature = WebhookSigner.sign(secret, "msg_1", now, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new Webhook(secret.toString()).verify("{\"a\": 1}", Map.of(
                "webhook-id", List.of("msg_1"),
                "webhook-timestamp", List.of(Long.toString(now)),
                "webhook-signature", List.of(signature))))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void matchesTheOfficialLibrarysOwnSignature() throws Exception {
        byte[] body = "{\"x\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);

        String ours = WebhookSigner.sign(secret, "msg_2", 1_700_000_000L, body);
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
}
