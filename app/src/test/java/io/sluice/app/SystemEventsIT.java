package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Outgoing webhooks: Sluice's system events, delivered signed through the same pipeline. */
class SystemEventsIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start()
            .answering(d -> d.path().startsWith("/gone") ? 410 : d.path().startsWith("/broken") ? 500 : 200);

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aJobsLifeAndAnEndpointsDisablingReachTheOutgoingWebhooksSubscribedToThem() throws Exception {
        // given: two outgoing webhooks with different subscriptions, and two endpoints, one gone
        SluiceClient.Tenant tenant = client.newOrganization(unique("system-events"));
        JsonNode ops = createWebhook(tenant, "ops", "/ops",
                "[\"job.created\",\"job.completed\",\"job.deadlettered\",\"endpoint.disabled\"]");
        JsonNode audit = createWebhook(tenant, "audit", "/audit", "[\"job.completed\"]");
        SluiceClient.Receiver working = client.newEndpoint(tenant, receiver.url("/working"));
        SluiceClient.Receiver gone = client.newEndpoint(tenant, receiver.url("/gone"));

        // when one job is delivered and one meets a receiver that is gone
        String delivered = enqueue(tenant, working.id());
        String refused = enqueue(tenant, gone.id());

        // then ops hears of both jobs and of the disabled endpoint; audit only of the completion
        List<JsonNode> opsEvents = awaitEvents("/ops", 5);
        assertThat(opsEvents).extracting(e -> e.get("event").asString() + " " + subject(e)).containsExactlyInAnyOrder(
                "job.created " + delivered, "job.completed " + delivered,
                "job.created " + refused, "job.deadlettered " + refused, "endpoint.disabled " + gone.id());
        JsonNode disabled = opsEvents.stream().filter(e -> e.get("event").asString().equals("endpoint.disabled"))
                .findFirst().orElseThrow();
        assertThat(disabled.get("data").get("reason").asString()).contains("410");
        assertThat(awaitEvents("/audit", 1)).extracting(e -> e.get("event").asString() + " " + subject(e))
                .containsExactly("job.completed " + delivered);

        // and every delivery is signed with its webhook's own secret (official verifier)
        for (TestReceiver.Delivery d : deliveriesTo("/ops")) {
            new Webhook(ops.get("secret").asString()).verify(d.body(), d.headers());
        }
        for (TestReceiver.Delivery d : deliveriesTo("/audit")) {
            new Webhook(audit.get("secret").asString()).verify(d.body(), d.headers());
        }

        // and once the system deliveries are themselves done, nothing was said about them: an event
        // about one would be written in the same transaction as the completion that shows "success"
        String deliveriesPath = "/api/v1/outgoing-webhooks/" + ops.get("id").asString() + "/deliveries";
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses(tenant, deliveriesPath).equals(Set.of("success")));
        assertThat(client.get(tenant.apiKey(), deliveriesPath).body().size()).isEqualTo(5);
        assertThat(deliveriesTo("/ops")).hasSize(5);
        JsonNode shown = client.get(tenant.apiKey(), "/api/v1/outgoing-webhooks/" + ops.get("id").asString()).body();
        assertThat(shown.get("last_status").asString()).isEqualTo("success");
        assertThat(shown.get("last_triggered_at").isNull()).isFalse();
        assertThat(shown.has("secret")).isFalse();
    }

    @Test
    void aCancelledJobIsReported() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("cancel-events"));
        createWebhook(tenant, "ops", "/cancels", "[\"job.cancelled\"]");
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"reports\",\"payload\":{}}");
        String job = created.body().get("id").asString();

        // when
        assertThat(client.delete(tenant.apiKey(), "/api/v1/jobs/" + job).status()).isEqualTo(204);

        // then
        JsonNode event = awaitEvents("/cancels", 1).getFirst();
        assertThat(event.get("event").asString()).isEqualTo("job.cancelled");
        assertThat(event.get("data").get("job_id").asString()).isEqualTo(job);
        assertThat(event.get("data").get("state").asString()).isEqualTo("cancelled");
    }

    @Test
    void aWorkersRegistrationAndDeregistrationAreReported() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("worker-events"));
        createWebhook(tenant, "ops", "/workers", "[\"worker.registered\",\"worker.deregistered\"]");

        // when a worker registers and leaves, and leaves again
        String worker = client.post(tenant.apiKey(), "/api/v1/workers/register",
                "{\"queue_name\":\"images\",\"hostname\":\"host-7\"}").body().get("id").asString();
        client.post(tenant.apiKey(), "/api/v1/workers/" + worker + "/deregister", "");
        client.post(tenant.apiKey(), "/api/v1/workers/" + worker + "/deregister", "");

        // then each change is reported once
        List<JsonNode> events = awaitEvents("/workers", 2);
        assertThat(events).extracting(e -> e.get("event").asString())
                .containsExactlyInAnyOrder("worker.registered", "worker.deregistered");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("data").get("worker_id").asString()).isEqualTo(worker);
            assertThat(e.get("data").get("queue_name").asString()).isEqualTo("images");
            assertThat(e.get("data").get("hostname").asString()).isEqualTo("host-7");
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> deliveriesTo("/workers").size() == 2);
    }

    @Test
    void theTestRouteReportsTheAttemptAndAFailedDeliveryCanBeRetried() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("webhook-test"));
        String healthy = createWebhook(tenant, "healthy", "/healthy", "[\"job.completed\"]").get("id").asString();
        String broken = createWebhook(tenant, "broken", "/broken", "[\"job.completed\"]").get("id").asString();

        // when
        JsonNode passed = client.post(tenant.apiKey(), "/api/v1/outgoing-webhooks/" + healthy + "/test", "{}").body();
        JsonNode failed = client.post(tenant.apiKey(), "/api/v1/outgoing-webhooks/" + broken + "/test", "{}").body();

        // then
        assertThat(passed.get("success").asBoolean()).isTrue();
        assertThat(passed.get("status_code").asInt()).isEqualTo(200);
        assertThat(passed.get("response_time_ms").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(deliveriesTo("/healthy").getFirst().body()).contains("\"event\":\"webhook.test\"");
        assertThat(failed.get("success").asBoolean()).isFalse();
        assertThat(failed.get("status_code").asInt()).isEqualTo(500);

        // when the failed test delivery is retried
        String brokenDeliveries = "/api/v1/outgoing-webhooks/" + broken + "/deliveries";
        await().atMost(Duration.ofSeconds(30)).until(() -> statuses(tenant, brokenDeliveries).equals(Set.of("failed")));
        JsonNode delivery = client.get(tenant.apiKey(), brokenDeliveries).body().get(0);
        SluiceClient.Answer retried = client.post(tenant.apiKey(),
                "/api/v1/outgoing-webhooks/" + broken + "/retry/" + delivery.get("id").asString(), "{}");

        // then it is sent again, and the webhook counts its failure
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("success").asBoolean()).isTrue();
        assertThat(delivery.get("event").asString()).isEqualTo("webhook.test");
        assertThat(delivery.get("status_code").asInt()).isEqualTo(500);
        assertThat(delivery.get("payload").get("event").asString()).isEqualTo("webhook.test");
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveriesTo("/broken").size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get(tenant.apiKey(),
                "/api/v1/outgoing-webhooks/" + broken).body().get("failure_count").asLong() == 1);
        String healthyDelivery = client.get(tenant.apiKey(), "/api/v1/outgoing-webhooks/" + healthy + "/deliveries")
                .body().get(0).get("id").asString();
        assertThat(client.post(tenant.apiKey(),
                "/api/v1/outgoing-webhooks/" + healthy + "/retry/" + healthyDelivery, "{}").status()).isEqualTo(409);
    }

    @Test
    void badRequestsAreRefusedAndOutgoingWebhooksStayApartFromEndpoints() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("outgoing-crud"));
        String base = "/api/v1/outgoing-webhooks";

        // then bad input is refused with a reason
        SluiceClient.Answer badUrl = client.post(tenant.apiKey(), base,
                "{\"name\":\"x\",\"url\":\"ftp://example.com\",\"events\":[\"job.completed\"]}");
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.body().get("message").asString()).contains("Invalid webhook URL");
        assertThat(client.post(tenant.apiKey(), base,
                "{\"name\":\"x\",\"url\":\"http://10.0.0.7/hook\",\"events\":[\"job.completed\"]}").body()
                .get("message").asString()).contains("Invalid webhook URL");
        SluiceClient.Answer badEvent = client.post(tenant.apiKey(), base, "{\"name\":\"x\",\"url\":\""
                + receiver.url("/x") + "\",\"events\":[\"job.exploded\"]}");
        assertThat(badEvent.status()).isEqualTo(400);
        assertThat(badEvent.body().get("message").asString()).contains("job.exploded");
        assertThat(client.post(tenant.apiKey(), base, "{\"name\":\"x\",\"url\":\"" + receiver.url("/x")
                + "\",\"events\":[\"job.completed\"],\"secret\":\"hunter2\"}").status()).isEqualTo(400);
        assertThat(client.post(tenant.apiKey(), base, "{\"url\":\"" + receiver.url("/x")
                + "\",\"events\":[\"job.completed\"]}").status()).isEqualTo(400);

        // given one webhook, with a secret of its owner's choosing
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        JsonNode created = client.post(tenant.apiKey(), base, "{\"name\":\"ops\",\"url\":\"" + receiver.url("/x")
                + "\",\"events\":[\"job.completed\"],\"secret\":\"" + secret + "\",\"enabled\":false}").body();
        String id = created.get("id").asString();

        // then it is listed, updated and deleted as an outgoing webhook, never as an endpoint
        assertThat(created.get("secret").asString()).isEqualTo(secret);
        assertThat(created.get("enabled").asBoolean()).isFalse();
        assertThat(client.get(tenant.apiKey(), base).body()).hasSize(1);
        assertThat(client.get(tenant.apiKey(), "/api/v1/endpoints").body()).isEmpty();
        assertThat(client.get(tenant.apiKey(), "/api/v1/endpoints/" + id).status()).isEqualTo(404);
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"q\",\"payload\":{},\"endpoint_id\":\"" + id + "\"}").status()).isEqualTo(400);
        assertThat(client.post(tenant.apiKey(), base + "/" + id + "/test", "{}").status()).isEqualTo(409);
        JsonNode updated = client.put(tenant.apiKey(), base + "/" + id,
                "{\"events\":[\"job.failed\",\"endpoint.disabled\"],\"enabled\":true}").body();
        assertThat(updated.get("events")).extracting(JsonNode::asString)
                .containsExactly("job.failed", "endpoint.disabled");
        assertThat(updated.get("enabled").asBoolean()).isTrue();
        assertThat(updated.get("name").asString()).isEqualTo("ops");
        assertThat(client.get(tenant.apiKey(), base + "/" + id + "/deliveries").body()).isEmpty();
        assertThat(client.delete(tenant.apiKey(), "/api/v1/endpoints/" + id).status()).isEqualTo(404);
        assertThat(client.delete(tenant.apiKey(), base + "/" + id).status()).isEqualTo(204);
        assertThat(client.get(tenant.apiKey(), base + "/" + id).status()).isEqualTo(404);
        assertThat(client.get(tenant.apiKey(), base).body()).isEmpty();
    }

    private JsonNode createWebhook(SluiceClient.Tenant tenant, String name, String path, String events) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/outgoing-webhooks",
                "{\"name\":\"" + name + "\",\"url\":\"" + receiver.url(path) + "\",\"events\":" + events + "}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body();
    }

    private String enqueue(SluiceClient.Tenant tenant, String endpointId) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"orders\",\"payload\":{\"n\":1},\"endpoint_id\":\"" + endpointId + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private List<TestReceiver.Delivery> deliveriesTo(String path) {
        return receiver.deliveries().stream().filter(d -> d.path().startsWith(path)).toList();
    }

    private List<JsonNode> awaitEvents(String path, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveriesTo(path).size() >= count);
        return deliveriesTo(path).stream().map(d -> SluiceClient.JSON.readTree(d.body())).toList();
    }

    /** The job or endpoint an event is about. */
    private static String subject(JsonNode event) {
        JsonNode data = event.get("data");
        return data.has("job_id") ? data.get("job_id").asString() : data.get("endpoint_id").asString();
    }

    private Set<String> statuses(SluiceClient.Tenant tenant, String deliveriesPath) {
        return StreamSupport.stream(client.get(tenant.apiKey(), deliveriesPath).body().spliterator(), false)
                .map(d -> d.get("status").asString()).collect(Collectors.toSet());
    }
}
