package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The spec's "What existing clients rely on", point by point, as the official clients exercise
 * them: content types, empty-body POSTs, 404 for what a self-hosted server does not offer,
 * literal sub-routes, and names with digits.
 */
class ClientConventionsIT extends SluiceIntegrationTest {

    @Test
    void everyJsonAnswerSaysItIsJsonAndNoValueIs204() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("conventions-json"));
        String job = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"q\",\"payload\":{}}").body()
                .get("id").asString();

        List<SluiceClient.Answer> answers = List.of(
                client.get(tenant.apiKey(), "/api/v1/jobs"),
                client.get(tenant.apiKey(), "/api/v1/jobs/" + job),
                client.get(tenant.apiKey(), "/api/v1/queues"),
                client.get(tenant.apiKey(), "/api/v1/dashboard"),
                client.get(tenant.apiKey(), "/api/v1/organizations/usage"),
                client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"\",\"payload\":{}}"),
                client.get(tenant.apiKey(), "/api/v1/no-such-route"),
                client.get(null, "/api/v1/jobs"));
        for (SluiceClient.Answer answer : answers) {
            assertThat(answer.headers().firstValue("Content-Type")).as(answer.raw()).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
        }
        SluiceClient.Answer cancelled = client.delete(tenant.apiKey(), "/api/v1/jobs/" + job);
        assertThat(cancelled.status()).isEqualTo(204);
        assertThat(cancelled.raw()).isEmpty();
    }

    @Test
    void postsThatClientsSendWithAnEmptyJsonBodyAreAccepted() {
        // given: one of each thing those POSTs act on
        SluiceClient.Tenant tenant = client.newOrganization(unique("conventions-empty"));
        client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"reports\",\"payload\":{}}");
        String worker = client.post(tenant.apiKey(), "/api/v1/workers/register",
                "{\"queue_name\":\"reports\",\"hostname\":\"h\"}").body().get("id").asString();
        String schedule = client.post(tenant.apiKey(), "/api/v1/schedules", "{\"name\":\"n\",\"cron_expression\":"
                + "\"0 3 * * *\",\"queue_name\":\"reports\",\"payload_template\":{}}").body().get("id").asString();
        String access = client.post(null, "/api/v1/auth/login", "{\"api_key\":\"" + tenant.apiKey() + "\"}").body()
                .get("access_token").asString();

        // when each is sent with the JSON content type and no body, then each does its work
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("/api/v1/queues/reports/pause", 200);
        expected.put("/api/v1/queues/reports/resume", 200);
        expected.put("/api/v1/schedules/" + schedule + "/pause", 200);
        expected.put("/api/v1/schedules/" + schedule + "/resume", 200);
        expected.put("/api/v1/schedules/" + schedule + "/trigger", 200);
        expected.put("/api/v1/organizations/webhook-token/regenerate", 200);
        expected.put("/api/v1/organizations/webhook-token/clear", 200);
        expected.put("/api/v1/workers/" + worker + "/deregister", 200);
        List<String> refused = new ArrayList<>();
        expected.forEach((path, status) -> {
            SluiceClient.Answer answer = client.post(tenant.apiKey(), path, "");
            if (answer.status() != status) {
                refused.add(path + " -> " + answer.status() + " " + answer.raw());
            }
        });
        assertThat(refused).isEmpty();
        assertThat(client.post(access, "/api/v1/auth/logout", "").status()).isEqualTo(204);
    }

    @Test
    void whatASelfHostedServerDoesNotOfferIsNotFoundNeverAServerError() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("conventions-absent"));
        List<String[]> absent = List.of(
                new String[] {"GET", "/api/v1/billing/subscription"},
                new String[] {"POST", "/api/v1/billing/checkout"},
                new String[] {"POST", "/api/v1/auth/email/start"},
                new String[] {"POST", "/api/v1/auth/email/verify"},
                new String[] {"GET", "/api/v1/jobs/not-a-uuid"},
                new String[] {"GET", "/api/v1/schedules/not-a-uuid"},
                new String[] {"GET", "/api/v1/workers/not-a-uuid"});
        for (String[] route : absent) {
            SluiceClient.Answer answer = client.send(route[0], route[1], route[0].equals("POST") ? "{}" : null,
                    Map.of("Authorization", "Bearer " + tenant.apiKey()));
            assertThat(answer.status()).as(route[0] + " " + route[1] + ": " + answer.raw()).isEqualTo(404);
            assertThat(answer.body().get("code").asString()).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void literalSubRoutesAreNotTakenForIds() {
        JsonNode check = client.get(null, "/api/v1/organizations/check-slug?slug=free-slug-" + unique("x")).body();
        assertThat(check.get("available").asBoolean()).isTrue();
        assertThat(check.get("valid").asBoolean()).isTrue();
        SluiceClient.Tenant tenant = client.newOrganization(unique("conventions-literal"));
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/stats").body().has("pending")).isTrue();
        assertThat(client.get(tenant.apiKey(), "/api/v1/organizations/usage").body().has("limits")).isTrue();
    }

    @Test
    void namesWithDigitsAreWrittenAsClientsReadThem() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("conventions-digits"));
        client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"digits\",\"payload\":{}}");

        JsonNode dashboard = client.get(tenant.apiKey(), "/api/v1/dashboard").body();
        assertThat(dashboard.get("jobs").has("completed_24h")).isTrue();
        assertThat(dashboard.get("jobs").has("failed_24h")).isTrue();
        assertThat(dashboard.get("recent_activity").get("jobs_created_1h").asLong()).isEqualTo(1);
        assertThat(dashboard.get("recent_activity").has("jobs_completed_1h")).isTrue();
        JsonNode stats = client.get(tenant.apiKey(), "/api/v1/queues/digits/stats").body();
        assertThat(stats.has("completed_jobs_24h")).isTrue();
        assertThat(stats.has("failed_jobs_24h")).isTrue();
    }
}
