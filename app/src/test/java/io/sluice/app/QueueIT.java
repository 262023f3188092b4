package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Queues: listed, shown and configured; their settings are defaults for the jobs sent to them. */
class QueueIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aQueuesMaxRetriesAndRetryScheduleApplyToJobsThatNameNone() {
        // given: a queue allowing one retry, 3 s after the first attempt (the default schedule waits 1 s first)
        receiver.answering(d -> 500);
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-retries"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/orders"));
        SluiceClient.Answer configured = client.put(tenant.apiKey(), "/api/v1/queues/orders/config",
                "{\"max_retries\":1,\"retry_schedule\":[\"3s\"]}");
        assertThat(configured.status()).isEqualTo(200);

        // when
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"orders\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{\"n\":1}}");

        // then: two attempts, 3 s (less jitter) apart, then the dead-letter queue
        String id = created.body().get("id").asString();
        JsonNode job = awaitStatus(tenant, id, "deadletter");
        assertThat(job.get("max_retries").asInt()).isEqualTo(1);
        assertThat(job.get("attempts")).hasSize(2);
        List<TestReceiver.Delivery> seen = receiver.deliveriesOf(id);
        assertThat(seen).hasSize(2);
        assertThat(Duration.between(seen.get(0).receivedAt(), seen.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(2700));
    }

    @Test
    void aQueueExistsOnceAJobWasSentToItAndShowsItsEffectiveSettings() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-list"));
        SluiceClient.Tenant other = client.newOrganization(unique("queue-list-other"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/reports"));

        // when
        client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"reports\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{}}");
        client.put(tenant.apiKey(), "/api/v1/queues/billing/config",
                "{\"default_timeout\":20,\"settings\":{\"team\":\"payments\"}}");

        // then
        JsonNode list = client.get(tenant.apiKey(), "/api/v1/queues").body();
        assertThat(list).extracting(q -> q.get("queue_name").asString()).containsExactly("billing", "reports");
        JsonNode reports = list.get(1);
        assertThat(reports.get("max_retries").asInt()).isEqualTo(3);
        assertThat(reports.get("default_timeout").asInt()).isEqualTo(15);
        assertThat(reports.get("enabled").asBoolean()).isTrue();
        assertThat(reports.get("rate_limit").isNull()).isTrue();
        JsonNode billing = client.get(tenant.apiKey(), "/api/v1/queues/billing").body();
        assertThat(billing.get("id").asString()).isNotBlank();
        assertThat(billing.get("organization_id").asString()).isEqualTo(tenant.organizationId());
        assertThat(billing.get("default_timeout").asInt()).isEqualTo(20);
        assertThat(billing.get("settings").get("team").asString()).isEqualTo("payments");
        assertThat(billing.get("created_at").asString()).isNotBlank();
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues/unknown").status()).isEqualTo(404);
        assertThat(client.get(other.apiKey(), "/api/v1/queues/billing").status()).isEqualTo(404);
        assertThat(client.get(other.apiKey(), "/api/v1/queues").body()).isEmpty();
    }

    @Test
    void aConfigurationChangesOnlyTheFieldsItNames() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-partial"));
        client.put(tenant.apiKey(), "/api/v1/queues/mail/config", "{\"max_retries\":4,\"retry_schedule\":[\"2s\"]}");

        // when
        JsonNode changed = client.put(tenant.apiKey(), "/api/v1/queues/mail/config", "{\"default_timeout\":60}").body();

        // then
        assertThat(changed.get("max_retries").asInt()).isEqualTo(4);
        assertThat(changed.get("default_timeout").asInt()).isEqualTo(60);
        assertThat(changed.get("retry_schedule")).extracting(JsonNode::asString).containsExactly("2s");
        JsonNode reset = client.put(tenant.apiKey(), "/api/v1/queues/mail/config", "{\"retry_schedule\":[]}").body();
        assertThat(reset.get("retry_schedule").isNull()).isTrue();
    }

    @Test
    void aConfigurationSluiceCannotHonourIsRefusedWithTheReason() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-refused"));

        assertRefused(tenant, "mail", "{\"max_retries\":101}", "max_retries must be between 0 and 100");
        assertRefused(tenant, "mail", "{\"default_timeout\":0}", "default_timeout must be between 1 and 86400");
        assertRefused(tenant, "mail", "{\"retry_schedule\":[\"7s\"]}", "the tiers are 1s,2s,3s");
        assertRefused(tenant, "mail", "{\"rate_limit\":10}", "not enforced yet");
        assertRefused(tenant, "mail", "{\"enabled\":false}", "not supported yet");
        assertRefused(tenant, "mail", "{\"settings\":[1,2]}", "settings must be a JSON object");
        assertRefused(tenant, ".hidden", "{}", "alphanumeric");
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues").body()).isEmpty();
    }

    private void assertRefused(SluiceClient.Tenant tenant, String queue, String body, String reason) {
        SluiceClient.Answer refused = client.put(tenant.apiKey(), "/api/v1/queues/" + queue + "/config", body);
        assertThat(refused.status()).as(body).isEqualTo(400);
        assertThat(refused.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.body().get("message").asString()).contains(reason);
    }
}
