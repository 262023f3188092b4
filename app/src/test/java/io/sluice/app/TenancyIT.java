package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Organizations, API keys (scopes, rate limits, expiry, revocation), logins with JWTs, and the operator's routes. */
class TenancyIT extends SluiceIntegrationTest {

    private static final String ADMIN_HEADER = "X-Admin-Key";

    @Test
    void aNewKeyWorksAtOnceIsShownOnceAndStopsWhenDeactivatedOrDeleted() {
        // given
        SluiceClient.Tenant tenant = client.newOrganization(unique("keys"));

        // when: a second key is made
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/api-keys",
                "{\"name\":\"ci\",\"rate_limit\":1000,\"expires_at\":\"2099-01-01T00:00:00Z\"}");

        // then: its secret is shown once, and it works at once
        assertThat(created.status()).isEqualTo(201);
        String key = created.body().get("key").asString();
        String keyId = created.body().get("id").asString();
        assertThat(key).startsWith("sk_live_");
        assertThat(created.body().get("expires_at").asString()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(client.get(key, "/api/v1/jobs").status()).isEqualTo(200);
        JsonNode listed = client.get(tenant.apiKey(), "/api/v1/api-keys").body();
        assertThat(listed.isArray()).isTrue();
        assertThat(listed).hasSize(2);
        JsonNode ci = StreamSupport.stream(listed.spliterator(), false)
                .filter(k -> k.get("id").asString().equals(keyId)).findFirst().orElseThrow();
        assertThat(ci.get("name").asString()).isEqualTo("ci");
        assertThat(ci.get("rate_limit").asInt()).isEqualTo(1000);
        assertThat(ci.get("is_active").asBoolean()).isTrue();
        assertThat(ci.get("queues")).isEmpty();
        assertThat(ci.has("last_used") && ci.has("created_at") && ci.has("expires_at")).isTrue();
        assertThat(listed.toString()).doesNotContain(key);

        // when: deactivated (a partial update: the name stays)
        SluiceClient.Answer deactivated = client.put(tenant.apiKey(), "/api/v1/api-keys/" + keyId, "{\"is_active\":false}");

        // then: refused at once
        assertThat(deactivated.status()).isEqualTo(200);
        assertThat(deactivated.body().get("name").asString()).isEqualTo("ci");
        assertThat(deactivated.body().get("is_active").asBoolean()).isFalse();
        SluiceClient.Answer refused = client.get(key, "/api/v1/jobs");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().get("code").asString()).isEqualTo("AUTHENTICATION_FAILED");

        // when: active again, then deleted
        client.put(tenant.apiKey(), "/api/v1/api-keys/" + keyId, "{\"is_active\":true}");
        assertThat(client.get(key, "/api/v1/jobs").status()).isEqualTo(200);
        assertThat(client.delete(tenant.apiKey(), "/api/v1/api-keys/" + keyId).status()).isEqualTo(204);

        // then
        assertThat(client.get(key, "/api/v1/jobs").status()).isEqualTo(401);
        assertThat(client.get(tenant.apiKey(), "/api/v1/api-keys/" + keyId).status()).isEqualTo(404);
        assertThat(client.get("sk_live_never-issued", "/api/v1/jobs").status()).isEqualTo(401);
    }

    @Test
    void keyInputIsCheckedAndAnExpiredKeyIsRefused() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("key-input"));
        assertThat(error(client.post(tenant.apiKey(), "/api/v1/api-keys", "{}"))).isEqualTo("400 VALIDATION_ERROR");
        assertThat(error(client.post(tenant.apiKey(), "/api/v1/api-keys", "{\"name\":\"x\",\"rate_limit\":0}")))
                .isEqualTo("400 VALIDATION_ERROR");
        assertThat(error(client.post(tenant.apiKey(), "/api/v1/api-keys",
                "{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}"))).isEqualTo("400 VALIDATION_ERROR");
        assertThat(error(client.post(tenant.apiKey(), "/api/v1/api-keys", "{\"name\":\"x\",\"queues\":[\".bad\"]}")))
                .isEqualTo("400 VALIDATION_ERROR");
        assertThat(client.get(tenant.apiKey(), "/api/v1/api-keys/not-a-uuid").status()).isEqualTo(404);

        // an expiry moved into the past cannot be set; one that passes ends the key (shown with a short expiry)
        String key = client.post(tenant.apiKey(), "/api/v1/api-keys",
                "{\"name\":\"short\",\"expires_at\":\"" + java.time.Instant.now().plusSeconds(2) + "\"}").body()
                .get("key").asString();
        assertThat(client.get(key, "/api/v1/jobs").status()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> client.get(key, "/api/v1/jobs").status() == 401);
    }

    @Test
    void aQueueScopedKeyReachesOnlyItsQueues() {
        // given: jobs in two queues, and a key limited to one of them
        SluiceClient.Tenant tenant = client.newOrganization(unique("scoped"));
        String billingJob = enqueue(tenant.apiKey(), "billing");
        String reportsJob = enqueue(tenant.apiKey(), "reports");
        String scoped = client.post(tenant.apiKey(), "/api/v1/api-keys",
                "{\"name\":\"billing worker\",\"queues\":[\"billing\"]}").body().get("key").asString();

        // then: its own queue works
        assertThat(client.post(scoped, "/api/v1/jobs", "{\"queue_name\":\"billing\",\"payload\":{}}").status())
                .isEqualTo(201);
        assertThat(client.get(scoped, "/api/v1/jobs/" + billingJob).status()).isEqualTo(200);
        assertThat(client.get(scoped, "/api/v1/queues/billing").status()).isEqualTo(200);
        // another queue is refused, or not there
        assertThat(error(client.post(scoped, "/api/v1/jobs", "{\"queue_name\":\"reports\",\"payload\":{}}")))
                .isEqualTo("403 ACCESS_DENIED");
        assertThat(client.post(scoped, "/api/v1/jobs/bulk",
                "{\"queue_name\":\"reports\",\"jobs\":[{\"payload\":{}}]}").body().get("failure_count").asInt())
                .isEqualTo(1);
        assertThat(client.get(scoped, "/api/v1/jobs/" + reportsJob).status()).isEqualTo(404);
        assertThat(client.delete(scoped, "/api/v1/jobs/" + reportsJob).status()).isEqualTo(404);
        assertThat(client.put(scoped, "/api/v1/jobs/" + reportsJob + "/priority", "{\"priority\":5}").status())
                .isEqualTo(404);
        assertThat(error(client.get(scoped, "/api/v1/queues/reports"))).isEqualTo("403 ACCESS_DENIED");
        assertThat(error(client.get(scoped, "/api/v1/queues/reports/stats"))).isEqualTo("403 ACCESS_DENIED");
        assertThat(error(client.post(scoped, "/api/v1/jobs/dlq/purge", "{\"confirm\":true}")))
                .isEqualTo("403 ACCESS_DENIED");
        // lists and counts keep to its queue
        assertThat(queuesOf(client.get(scoped, "/api/v1/jobs").body())).containsOnly("billing");
        assertThat(client.get(scoped, "/api/v1/jobs?queue_name=reports").body()).isEmpty();
        assertThat(client.get(scoped, "/api/v1/jobs/stats").body().get("total").asLong()).isEqualTo(2);
        assertThat(client.get(scoped, "/api/v1/jobs/status?ids=" + billingJob + "," + reportsJob).body()).hasSize(1);
        JsonNode queues = client.get(scoped, "/api/v1/queues").body();
        assertThat(StreamSupport.stream(queues.spliterator(), false).map(q -> q.get("queue_name").asString()))
                .containsExactly("billing");
        // organization-wide routes need a key for every queue: it cannot widen itself
        assertThat(error(client.get(scoped, "/api/v1/api-keys"))).isEqualTo("403 ACCESS_DENIED");
        assertThat(error(client.post(scoped, "/api/v1/api-keys", "{\"name\":\"wider\"}"))).isEqualTo("403 ACCESS_DENIED");
        assertThat(error(client.get(scoped, "/api/v1/endpoints"))).isEqualTo("403 ACCESS_DENIED");
        assertThat(error(client.post(scoped, "/api/v1/messages", "{\"event_type\":\"x.y\",\"payload\":{}}")))
                .isEqualTo("403 ACCESS_DENIED");
        // the full key still sees everything
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/stats").body().get("total").asLong()).isEqualTo(3);
    }

    @Test
    void aRateLimitedKeyIsAnswered429WithRetryAfterOnceItsMinuteIsUsed() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("limited"));
        String limited = client.post(tenant.apiKey(), "/api/v1/api-keys", "{\"name\":\"slow\",\"rate_limit\":3}")
                .body().get("key").asString();

        for (int i = 0; i < 3; i++) {
            SluiceClient.Answer allowed = client.get(limited, "/api/v1/jobs");
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
            assertThat(allowed.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(2 - i));
        }
        SluiceClient.Answer refused = client.get(limited, "/api/v1/jobs");

        assertThat(error(refused)).isEqualTo("429 RATE_LIMIT_EXCEEDED");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(Long.parseLong(refused.headers().firstValue("X-RateLimit-Reset").orElseThrow()))
                .isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        // other keys of the organization are not limited by it
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs").status()).isEqualTo(200);
    }

    @Test
    void aLoginGivesJwtsThatRefreshAndEndAtLogout() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("login"));

        // when
        SluiceClient.Answer login = client.post(null, "/api/v1/auth/login", "{\"api_key\":\"" + tenant.apiKey() + "\"}");

        // then
        assertThat(login.status()).isEqualTo(200);
        String access = login.body().get("access_token").asString();
        String refresh = login.body().get("refresh_token").asString();
        assertThat(access.split("\\.")).hasSize(3);
        assertThat(login.body().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(login.body().get("expires_in").asLong()).isEqualTo(3600);
        assertThat(login.body().get("refresh_expires_in").asLong()).isEqualTo(7 * 24 * 3600);
        assertThat(client.get(access, "/api/v1/jobs").status()).isEqualTo(200);
        JsonNode me = client.get(access, "/api/v1/auth/me").body();
        assertThat(me.get("organization_id").asString()).isEqualTo(tenant.organizationId());
        assertThat(me.has("api_key_id") && me.has("issued_at") && me.has("expires_at")).isTrue();

        // when: refreshed
        SluiceClient.Answer refreshed = client.post(null, "/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}");

        // then: a different token; the previous one and the refresh token stay usable
        String newer = refreshed.body().get("access_token").asString();
        assertThat(newer).isNotEqualTo(access);
        assertThat(refreshed.body().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(client.get(access, "/api/v1/jobs").status()).isEqualTo(200);
        assertThat(client.post(null, "/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}").status())
                .isEqualTo(200);
        JsonNode valid = client.post(null, "/api/v1/auth/validate", "{\"token\":\"" + newer + "\"}").body();
        assertThat(valid.get("valid").asBoolean()).isTrue();
        assertThat(valid.get("claims").get("organization_id").asString()).isEqualTo(tenant.organizationId());
        assertThat(valid.get("claims").get("exp").asLong() - valid.get("claims").get("iat").asLong())
                .as("JWT's seconds, as Spooled's SDKs read them").isEqualTo(3600);
        assertThat(Instant.parse(valid.get("claims").get("expires_at").asString()).getEpochSecond())
                .isEqualTo(valid.get("claims").get("exp").asLong());

        // when: logged out with the previous token
        assertThat(client.post(access, "/api/v1/auth/logout", "").status()).isEqualTo(204);

        // then: the whole login ended
        assertThat(client.get(access, "/api/v1/jobs").status()).isEqualTo(401);
        assertThat(client.get(newer, "/api/v1/jobs").status()).isEqualTo(401);
        assertThat(client.post(null, "/api/v1/auth/refresh", "{\"refresh_token\":\"" + refresh + "\"}").status())
                .isEqualTo(401);
        assertThat(client.post(null, "/api/v1/auth/validate", "{\"token\":\"" + newer + "\"}").body()
                .get("valid").asBoolean()).isFalse();
        // the key itself still works, and a wrong key logs in to nothing
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs").status()).isEqualTo(200);
        assertThat(error(client.post(null, "/api/v1/auth/login", "{\"api_key\":\"sk_live_wrong\"}")))
                .isEqualTo("401 AUTHENTICATION_FAILED");
        assertThat(client.post(null, "/api/v1/auth/validate", "{\"token\":\"a.b.c\"}").body().get("valid").asBoolean())
                .isFalse();
    }

    @Test
    void aKeySeesOnlyItsOwnOrganizationWhichItCanRenameAndDelete() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("own"));
        SluiceClient.Tenant other = client.newOrganization(unique("other"));

        JsonNode list = client.get(tenant.apiKey(), "/api/v1/organizations").body();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asString()).isEqualTo(tenant.organizationId());
        assertThat(list.get(0).get("plan_tier").asString()).isEqualTo("free");
        assertThat(client.get(tenant.apiKey(), "/api/v1/organizations/" + other.organizationId()).status()).isEqualTo(404);
        assertThat(client.put(tenant.apiKey(), "/api/v1/organizations/" + other.organizationId(), "{\"name\":\"x\"}")
                .status()).isEqualTo(404);
        assertThat(client.delete(tenant.apiKey(), "/api/v1/organizations/" + other.organizationId()).status())
                .isEqualTo(404);
        assertThat(client.get(tenant.apiKey(), "/api/v1/organizations/not-a-uuid").status()).isEqualTo(404);

        SluiceClient.Answer renamed = client.put(tenant.apiKey(), "/api/v1/organizations/" + tenant.organizationId(),
                "{\"name\":\"Renamed Inc\"}");
        assertThat(renamed.body().get("name").asString()).isEqualTo("Renamed Inc");
        JsonNode otherSlug = client.get(other.apiKey(), "/api/v1/organizations").body().get(0).get("slug");
        assertThat(error(client.put(tenant.apiKey(), "/api/v1/organizations/" + tenant.organizationId(),
                "{\"slug\":\"" + otherSlug.asString() + "\"}"))).isEqualTo("409 CONFLICT");

        client.post(tenant.apiKey(), "/api/v1/workers/register", "{\"queue_name\":\"usage\",\"hostname\":\"h\"}");
        client.post(tenant.apiKey(), "/api/v1/schedules", "{\"name\":\"n\",\"cron_expression\":\"0 3 * * *\","
                + "\"queue_name\":\"usage\",\"payload_template\":{}}");
        JsonNode usage = client.get(tenant.apiKey(), "/api/v1/organizations/usage").body();
        assertThat(usage.get("plan").asString()).isEqualTo("free");
        assertThat(usage.get("limits").get("max_payload_size_bytes").asLong()).isEqualTo(1_048_576);
        assertThat(usage.get("limits").get("max_jobs_per_day").isNull()).isTrue();
        assertThat(usage.get("usage").get("api_keys").get("current").asLong()).isEqualTo(1);
        assertThat(usage.get("usage").get("workers").get("current").asLong()).isEqualTo(1);
        assertThat(usage.get("usage").get("schedules").get("current").asLong()).isEqualTo(1);
        assertThat(usage.get("usage").get("jobs_today").get("is_disabled").asBoolean()).isFalse();
        assertThat(usage.get("warnings").isArray()).isTrue();

        // when: deleted
        assertThat(client.delete(tenant.apiKey(), "/api/v1/organizations/" + tenant.organizationId()).status())
                .isEqualTo(204);

        // then: its keys stop at once; the other organization is untouched
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs").status()).isEqualTo(401);
        assertThat(client.get(other.apiKey(), "/api/v1/organizations").body()).hasSize(1);
    }

    @Test
    void slugsCanBeCheckedAndGeneratedWithoutAKey() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("slug"));
        String taken = client.get(tenant.apiKey(), "/api/v1/organizations").body().get(0).get("slug").asString();

        JsonNode takenCheck = client.get(null, "/api/v1/organizations/check-slug?slug=" + taken).body();
        assertThat(takenCheck.get("available").asBoolean()).isFalse();
        assertThat(takenCheck.get("valid").asBoolean()).isTrue();
        assertThat(takenCheck.get("suggestion").asString()).isEqualTo(taken + "-2");
        JsonNode invalid = client.get(null, "/api/v1/organizations/check-slug?slug=-Bad").body();
        assertThat(invalid.get("valid").asBoolean()).isFalse();
        assertThat(invalid.get("error").asString()).contains("slug");
        assertThat(client.get(null, "/api/v1/organizations/check-slug?slug=" + unique("free")).body()
                .get("available").asBoolean()).isTrue();
        assertThat(client.post(null, "/api/v1/organizations/generate-slug", "{\"name\":\"Ünïcode & Co. Ltd\"}").body()
                .get("slug").asString()).isEqualTo("unicode-co-ltd");
    }

    @Test
    void theOperatorListsOrganizationsAndGivesOneANewKey() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("ops"));
        Map<String, String> admin = Map.of(ADMIN_HEADER, ADMIN_KEY);

        SluiceClient.Answer all = client.send("GET", "/api/v1/admin/organizations?limit=100", null, admin);
        SluiceClient.Answer issued = client.send("POST", "/api/v1/admin/organizations/" + tenant.organizationId()
                + "/api-keys", "{\"name\":\"recovery\"}", admin);

        assertThat(all.status()).isEqualTo(200);
        assertThat(issued.status()).isEqualTo(201);
        assertThat(client.get(issued.body().get("key").asString(), "/api/v1/organizations").body().get(0)
                .get("id").asString()).isEqualTo(tenant.organizationId());
        assertThat(client.send("GET", "/api/v1/admin/organizations", null, Map.of(ADMIN_HEADER, "wrong")).status())
                .isEqualTo(401);
        assertThat(client.get(tenant.apiKey(), "/api/v1/admin/organizations").status()).isEqualTo(401);
    }

    private String enqueue(String apiKey, String queue) {
        return client.post(apiKey, "/api/v1/jobs", "{\"queue_name\":\"" + queue + "\",\"payload\":{}}").body()
                .get("id").asString();
    }

    private static List<String> queuesOf(JsonNode jobs) {
        return StreamSupport.stream(jobs.spliterator(), false).map(j -> j.get("queue_name").asString()).toList();
    }

    static String error(SluiceClient.Answer answer) {
        return answer.status() + " " + (answer.body() == null ? "" : answer.body().path("code").asString());
    }
}
