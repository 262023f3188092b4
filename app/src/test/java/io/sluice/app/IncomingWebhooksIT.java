package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Third parties enqueue jobs with their organization's webhook token. */
class IncomingWebhooksIT extends SluiceIntegrationTest {

    @Test
    void aSenderWithTheTokenEnqueuesOnceAndEveryOtherSenderIsRefused() {
        // given: an organization that made itself a token
        SluiceClient.Tenant tenant = client.newOrganization(unique("incoming"));
        assertThat(client.get(tenant.apiKey(), "/api/v1/organizations/webhook-token").body().get("token").isNull()).isTrue();
        String token = client.post(tenant.apiKey(), "/api/v1/organizations/webhook-token/regenerate", "")
                .body().get("token").asString();
        assertThat(client.get(tenant.apiKey(), "/api/v1/organizations/webhook-token").body().get("token").asString())
                .isEqualTo(token);
        String route = "/api/v1/webhooks/" + tenant.organizationId() + "/custom";
        String event = "{\"queue_name\":\"stripe\",\"event_type\":\"invoice.paid\",\"payload\":{\"amount\":42},"
                + "\"idempotency_key\":\"evt_1\"}";

        // when: the sender delivers the event, then re-sends it
        SluiceClient.Answer first = receive(route, token, event);
        SluiceClient.Answer again = receive(route, token, event);

        // then: one job, holding the payload and tagged with the event type
        assertThat(first.status()).as(first.raw()).isEqualTo(201);
        assertThat(first.body().get("queue_name").asString()).isEqualTo("stripe");
        assertThat(first.body().get("status").asString()).isEqualTo("pending");
        String job = first.body().get("job_id").asString();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("job_id").asString()).isEqualTo(job);
        JsonNode stored = client.get(tenant.apiKey(), "/api/v1/jobs/" + job).body();
        assertThat(stored.get("payload").get("amount").asInt()).isEqualTo(42);
        assertThat(stored.get("tags").get("event_type").asString()).isEqualTo("invoice.paid");

        // and no one else gets in
        assertThat(receive(route, "whk_wrong", event).status()).isEqualTo(401);
        assertThat(receive(route, null, event).status()).isEqualTo(401);
        assertThat(receive("/api/v1/webhooks/" + UUID.randomUUID() + "/custom", token, event).status()).isEqualTo(401);
        assertThat(receive("/api/v1/webhooks/not-a-uuid/custom", token, event).status()).isEqualTo(404);
        assertThat(receive(route, token, "{\"queue_name\":\"\",\"payload\":{}}").status()).isEqualTo(400);
        String renewed = client.post(tenant.apiKey(), "/api/v1/organizations/webhook-token/regenerate", "")
                .body().get("token").asString();
        assertThat(receive(route, token, event).status()).isEqualTo(401);
        assertThat(receive(route, renewed, event).status()).isEqualTo(200);
        assertThat(client.post(tenant.apiKey(), "/api/v1/organizations/webhook-token/clear", "").status()).isEqualTo(200);
        assertThat(receive(route, renewed, event).status()).isEqualTo(401);
    }

    private SluiceClient.Answer receive(String route, String token, String body) {
        return client.send("POST", route, body, token == null ? Map.of() : Map.of("X-Webhook-Token", token));
    }
}
