package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.sluice.testkit.Ed25519Verifier;
import io.sluice.testkit.TestReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What a receiver verifies deliveries with: rotated secrets, ed25519 keys, and the endpoint's own headers. */
class SigningIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void duringARotationsGracePeriodEitherSecretVerifiesAndARevokedSecretNoLonger() throws Exception {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("rotation"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/rotating"));
        String rotatePath = "/api/v1/endpoints/" + endpoint.id() + "/secret/rotate";

        // when the secret is rotated with the default grace period
        SluiceClient.Answer rotated = client.post(tenant.apiKey(), rotatePath, "{}");

        // then a delivery verifies with the old secret and with the new one
        assertThat(rotated.status()).isEqualTo(200);
        String second = rotated.body().get("key").asString();
        assertThat(second).startsWith("whsec_").isNotEqualTo(endpoint.secret());
        assertThat(rotated.body().get("previous_key_expires_at")).isNotNull();
        TestReceiver.Delivery during = deliver(tenant, "{\"step\":1}");
        new Webhook(endpoint.secret()).verify(during.body(), during.headers());
        new Webhook(second).verify(during.body(), during.headers());
        assertThat(client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id() + "/secret").body()
                .get("key").asString()).isEqualTo(second);

        // when it is rotated again with no grace period (as after a leak)
        SluiceClient.Answer revoked = client.post(tenant.apiKey(), rotatePath, "{\"grace_period_seconds\":0}");

        // then only the newest secret verifies
        String third = revoked.body().get("key").asString();
        TestReceiver.Delivery after = deliver(tenant, "{\"step\":2}");
        new Webhook(third).verify(after.body(), after.headers());
        assertThatThrownBy(() -> new Webhook(second).verify(after.body(), after.headers()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(endpoint.secret()).verify(after.body(), after.headers()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThat(client.post(tenant.apiKey(), rotatePath, "{\"grace_period_seconds\":-1}").status()).isEqualTo(400);
    }

    @Test
    void anEd25519EndpointsDeliveriesVerifyWithItsPublicKeyAndThePrivateKeyIsNeverShown() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("ed25519"));
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/endpoints",
                "{\"url\":\"" + receiver.url("/asymmetric") + "\",\"signing_algorithm\":\"ed25519\"}");
        String publicKey = created.body().get("secret").asString();

        // when
        TestReceiver.Delivery delivery = deliver(tenant, "{\"invoice\":\"inv_9\"}");

        // then
        assertThat(created.body().get("signing_algorithm").asString()).isEqualTo("ed25519");
        assertThat(publicKey).startsWith("whpk_");
        assertThat(delivery.header("webhook-signature")).startsWith("v1a,");
        assertThat(Ed25519Verifier.verifies(publicKey, delivery.webhookId(),
                Long.parseLong(delivery.header("webhook-timestamp")),
                delivery.body().getBytes(StandardCharsets.UTF_8), delivery.header("webhook-signature"))).isTrue();
        String endpointPath = "/api/v1/endpoints/" + created.body().get("id").asString();
        assertThat(client.get(tenant.apiKey(), endpointPath + "/secret").raw()).contains(publicKey).doesNotContain("whsk_");
        assertThat(client.post(tenant.apiKey(), "/api/v1/endpoints",
                "{\"url\":\"" + receiver.url("/x") + "\",\"signing_algorithm\":\"rsa\"}").status()).isEqualTo(400);
    }

    @Test
    void anEndpointsCustomHeadersTravelWithEveryDelivery() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("headers"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/with-headers"),
                "\"headers\":{\"Authorization\":\"Bearer r3ceiver\",\"X-Tenant\":\"acme\"}");

        // when
        TestReceiver.Delivery delivery = deliver(tenant, "{\"n\":1}");

        // then
        assertThat(delivery.header("Authorization")).isEqualTo("Bearer r3ceiver");
        assertThat(delivery.header("X-Tenant")).isEqualTo("acme");
        JsonNode shown = client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id()).body();
        assertThat(shown.get("headers").get("X-Tenant").asString()).isEqualTo("acme");
        SluiceClient.Answer reserved = client.patch(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id(),
                "{\"headers\":{\"webhook-signature\":\"v1,forged\"}}");
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.body().get("message").asString()).contains("webhook-signature");
        assertThat(client.patch(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id(),
                "{\"headers\":{\"X-Bad\":\"a\\r\\nInjected: 1\"}}").status()).isEqualTo(400);
    }

    /** Publishes one message to the tenant's endpoint and returns its delivery. */
    private TestReceiver.Delivery deliver(SluiceClient.Tenant tenant, String payload) {
        SluiceClient.Answer published = client.post(tenant.apiKey(), "/api/v1/messages",
                "{\"event_type\":\"signing.test\",\"payload\":" + payload + "}");
        assertThat(published.status()).isEqualTo(202);
        String jobId = published.body().get("job_ids").get(0).asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received(jobId));
        return receiver.deliveriesOf(jobId).getFirst();
    }
}
