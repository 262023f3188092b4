package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Messages fan out to every subscribed, enabled endpoint, each delivery signed with its endpoint's secret. */
class FanOutIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void oneMessageReachesExactlyTheFortyFiveSubscribedEnabledEndpointsOfFifty() throws Exception {
        // given: 30 endpoints for every event, 10 for invoice.paid, 5 whose payload filter matches,
        // 3 whose payload filter (or event type) does not, 2 disabled
        SluiceClient.Tenant tenant = client.newOrganization(unique("fan-out"));
        Map<String, SluiceClient.Receiver> expected = new HashMap<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String path = "/e" + i;
            String settings = i < 30 ? "\"event_types\":[]"
                    : i < 40 ? "\"event_types\":[\"invoice.paid\",\"invoice.voided\"]"
                    : i < 45 ? "\"payload_filter\":{\"$and\":[{\"invoice\":\"inv_7\"},{\"amount\":{\"$gt\":100}}]}"
                    : i < 47 ? "\"payload_filter\":{\"amount\":{\"$gt\":10000}}"
                    : i < 48 ? "\"event_types\":[\"invoice.sent\"]"
                    : "\"description\":\"to be disabled\"";
            SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url(path), settings);
            if (i < 45) {
                expected.put(path, endpoint);
            } else {
                others.add(path);
            }
            if (i >= 48) {
                assertThat(client.patch(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id(), "{\"enabled\":false}")
                        .status()).isEqualTo(200);
            }
        }

        // when
        SluiceClient.Answer published = client.post(tenant.apiKey(), "/api/v1/messages",
                "{\"event_type\":\"invoice.paid\",\"payload\":{\"invoice\":\"inv_7\",\"amount\":4200}}");

        // then: 45 jobs, delivered once each, each verifying with its own endpoint's secret
        assertThat(published.status()).isEqualTo(202);
        assertThat(published.body().get("job_ids")).hasSize(45);
        String messageId = published.body().get("message_id").asString();
        await().atMost(Duration.ofMinutes(1)).until(() -> receiver.distinctCount() >= 45);
        Map<String, List<TestReceiver.Delivery>> byPath = receiver.deliveries().stream()
                .collect(Collectors.groupingBy(TestReceiver.Delivery::path));
        assertThat(byPath.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, List<TestReceiver.Delivery>> entry : byPath.entrySet()) {
            assertThat(entry.getValue()).hasSize(1);
            TestReceiver.Delivery delivery = entry.getValue().getFirst();
            new Webhook(expected.get(entry.getKey()).secret()).verify(delivery.body(), delivery.headers());
            assertThat(delivery.body()).isEqualTo("{\"invoice\":\"inv_7\",\"amount\":4200}");
        }
        assertThat(byPath.keySet()).doesNotContainAnyElementsOf(others);
        Set<String> webhookIds = receiver.deliveries().stream().map(TestReceiver.Delivery::webhookId)
                .collect(Collectors.toSet());
        assertThat(webhookIds).hasSize(45);

        // and the message lists its 45 deliveries, completed
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get(tenant.apiKey(), "/api/v1/messages/" + messageId)
                .body().get("deliveries").valueStream().allMatch(d -> "completed".equals(d.get("status").asString())));
        JsonNode message = client.get(tenant.apiKey(), "/api/v1/messages/" + messageId).body();
        assertThat(message.get("event_type").asString()).isEqualTo("invoice.paid");
        assertThat(message.get("deliveries")).hasSize(45);
        String someEndpoint = expected.get("/e31").id();
        JsonNode endpointJobs = client.get(tenant.apiKey(), "/api/v1/endpoints/" + someEndpoint + "/jobs").body();
        assertThat(endpointJobs).hasSize(1);
        assertThat(endpointJobs.get(0).get("queue_name").asString()).isEqualTo("invoice.paid");
        JsonNode filtered = client.get(tenant.apiKey(), "/api/v1/endpoints/" + expected.get("/e41").id()).body();
        assertThat(filtered.get("payload_filter").get("$and")).hasSize(2);
        SluiceClient.Answer badFilter = client.patch(tenant.apiKey(), "/api/v1/endpoints/" + someEndpoint,
                "{\"payload_filter\":{\"amount\":{\"$gte\":1}}}");
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(badFilter.body().get("message").asString()).contains("unknown operator $gte");
    }

    @Test
    void anEndpointsSecretIsShownAtCreationAndWhenAskedForOnly() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("secret"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/secret"));

        JsonNode listed = client.get(tenant.apiKey(), "/api/v1/endpoints").body().get(0);
        JsonNode one = client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id()).body();
        JsonNode secret = client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id() + "/secret").body();

        assertThat(endpoint.secret()).startsWith("whsec_");
        assertThat(listed.has("secret")).isFalse();
        assertThat(one.has("secret")).isFalse();
        assertThat(secret.get("key").asString()).isEqualTo(endpoint.secret());
        SluiceClient.Tenant other = client.newOrganization(unique("secret-other"));
        assertThat(client.get(other.apiKey(), "/api/v1/endpoints/" + endpoint.id() + "/secret").status()).isEqualTo(404);
    }

    @Test
    void aRepeatedIdempotencyKeyPublishesNothingNew() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("fan-out-key"));
        client.newEndpoint(tenant, receiver.url("/once"));
        String body = "{\"event_type\":\"user.created\",\"payload\":{\"id\":1},\"idempotency_key\":\"user-1\"}";

        SluiceClient.Answer first = client.post(tenant.apiKey(), "/api/v1/messages", body);
        SluiceClient.Answer again = client.post(tenant.apiKey(), "/api/v1/messages", body);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("created").asBoolean()).isFalse();
        assertThat(again.body().get("message_id")).isEqualTo(first.body().get("message_id"));
        assertThat(again.body().get("job_ids")).isEqualTo(first.body().get("job_ids"));
    }

    @Test
    void aPayloadBreakingItsEventTypesSchemaIsRefusedWithTheViolations() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("fan-out-schema"));
        SluiceClient.Answer registered = client.post(tenant.apiKey(), "/api/v1/event-types",
                "{\"name\":\"order.created\",\"description\":\"an order was placed\",\"schema\":"
                        + "{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{\"id\":{\"type\":\"string\"}}}}");
        assertThat(registered.status()).isEqualTo(201);

        // when
        SluiceClient.Answer refused = client.post(tenant.apiKey(), "/api/v1/messages",
                "{\"event_type\":\"order.created\",\"payload\":{\"id\":7}}");
        SluiceClient.Answer accepted = client.post(tenant.apiKey(), "/api/v1/messages",
                "{\"event_type\":\"order.created\",\"payload\":{\"id\":\"ord_7\"}}");

        // then
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.body().get("details").get("errors").get(0).asString()).contains("id");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().get("job_ids")).isEmpty();
        assertThat(client.post(tenant.apiKey(), "/api/v1/event-types", "{\"name\":\"order.created\"}").status())
                .isEqualTo(409);
        assertThat(client.post(tenant.apiKey(), "/api/v1/event-types", "{\"name\":\"bad\",\"schema\":[1]}").status())
                .isEqualTo(400);
        assertThat(client.get(tenant.apiKey(), "/api/v1/event-types").body())
                .extracting(t -> t.get("name").asString()).containsExactly("order.created");
    }
}
