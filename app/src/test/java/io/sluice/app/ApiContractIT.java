package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ApiContractIT extends SluiceIntegrationTest {

    private SluiceClient.Tenant tenant;
    private SluiceClient.Receiver endpoint;

    @BeforeEach
    void tenant() {
        tenant = client.newOrganization(unique("api"));
        // Nothing listens there: these tests are about the API, not delivery.
        endpoint = client.newEndpoint(tenant, "http://127.0.0.1:1/unused");
    }

    private SluiceClient.Answer createJob(String extraFields) {
        return client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"orders\",\"payload\":{\"n\":1}" + extraFields + "}");
    }

    @Nested
    class Idempotency {

        @Test
        void aRepeatedKeyAnswersWithTheExistingJobAndCreatesNoSecond() {
            SluiceClient.Answer first = createJob(",\"idempotency_key\":\"order-1\"");
            SluiceClient.Answer second = createJob(",\"idempotency_key\":\"order-1\"");

            assertThat(first.status()).isEqualTo(201);
            assertThat(first.body().get("created").asBoolean()).isTrue();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body().get("created").asBoolean()).isFalse();
            assertThat(second.body().get("id").asString()).isEqualTo(first.body().get("id").asString());
            assertThat(client.get(tenant.apiKey(), "/api/v1/jobs?queue_name=orders").body()).hasSize(1);
        }

        @Test
        void concurrentRequestsWithOneKeyCreateExactlyOneJob() throws Exception {
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<SluiceClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> createJob(",\"idempotency_key\":\"race\"")));
            }
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Future<SluiceClient.Answer> answer : answers) {
                JsonNode body = answer.get().body();
                ids.add(body.get("id").asString());
                created += body.get("created").asBoolean() ? 1 : 0;
            }
            pool.shutdown();

            assertThat(ids).hasSize(1);
            assertThat(created).isEqualTo(1);
        }

        @Test
        void aKeyRepeatedInsideOneBulkRequestCreatesOneJob() {
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs/bulk",
                    "{\"queue_name\":\"orders\",\"jobs\":[{\"payload\":1,\"idempotency_key\":\"k\"},"
                            + "{\"payload\":2,\"idempotency_key\":\"k\"}]}");

            JsonNode succeeded = answer.body().get("succeeded");
            assertThat(succeeded.get(0).get("created").asBoolean()).isTrue();
            assertThat(succeeded.get(1).get("created").asBoolean()).isFalse();
            assertThat(succeeded.get(1).get("job_id").asString()).isEqualTo(succeeded.get(0).get("job_id").asString());
        }

        @Test
        void keysAreScopedToTheOrganization() {
            SluiceClient.Tenant other = client.newOrganization(unique("other"));
            String mine = createJob(",\"idempotency_key\":\"shared\"").body().get("id").asString();

            SluiceClient.Answer theirs = client.post(other.apiKey(), "/api/v1/jobs",
                    "{\"queue_name\":\"orders\",\"payload\":{},\"idempotency_key\":\"shared\"}");

            assertThat(theirs.status()).isEqualTo(201);
            assertThat(theirs.body().get("id").asString()).isNotEqualTo(mine);
        }
    }

    @Nested
    class Validation {

        @Test
        void aBadQueueNameIsAValidationError() {
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs",
                    "{\"queue_name\":\"-starts-with-dash\",\"payload\":{}}");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(answer.body().get("message").asString()).contains("alphanumeric");
        }

        @Test
        void anEmptyQueueNameIsAValidationError() {
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"\",\"payload\":{}}");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("message").asString()).contains("Queue name");
        }

        @Test
        void aPayloadOverOneMebibyteIsRefusedAsTooLarge() {
            String big = "x".repeat(1024 * 1024 + 1);
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs",
                    "{\"queue_name\":\"orders\",\"payload\":{\"blob\":\"" + big + "\"}}");

            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.body().get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        }

        @Test
        void malformedJsonIsAValidationErrorNotAServerError() {
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\": \"orders\", \"payload\": {");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        }

        @Test
        void anUnknownEndpointIsAValidationError() {
            SluiceClient.Answer answer = createJob(",\"endpoint_id\":\"01000000-0000-7000-8000-000000000000\"");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("details").get("field").asString()).isEqualTo("endpoint_id");
        }

        @Test
        void outOfRangeNumbersAreValidationErrors() {
            assertThat(createJob(",\"priority\":101").status()).isEqualTo(400);
            assertThat(createJob(",\"max_retries\":-1").status()).isEqualTo(400);
            assertThat(createJob(",\"timeout_seconds\":0").status()).isEqualTo(400);
        }

        @Test
        void aBulkRequestReportsInvalidItemsAndWritesTheValidOnes() {
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs/bulk",
                    "{\"queue_name\":\"orders\",\"endpoint_id\":\"" + endpoint.id() + "\",\"jobs\":["
                            + "{\"payload\":{\"ok\":1}},{\"priority\":5},{\"payload\":{\"ok\":2},\"priority\":500}]}");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().get("total").asInt()).isEqualTo(3);
            assertThat(answer.body().get("success_count").asInt()).isEqualTo(1);
            assertThat(answer.body().get("failed").get(0).get("index").asInt()).isEqualTo(1);
            assertThat(answer.body().get("failed").get(1).get("index").asInt()).isEqualTo(2);
            String id = answer.body().get("succeeded").get(0).get("job_id").asString();
            assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + id).status()).isEqualTo(200);
        }

        @Test
        void aBulkRequestWithoutJobsIsAValidationError() {
            assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/bulk", "{\"queue_name\":\"orders\",\"jobs\":[]}")
                    .status()).isEqualTo(400);
        }

        @ParameterizedTest
        @ValueSource(strings = {"http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/",
                "http://[::ffff:192.168.0.1]/", "https://0.0.0.0/"})
        void anEndpointAtAnInternalAddressIsRefused(String url) {
            // (these tests allow 127.0.0.0/8 only, where their receivers listen)
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/endpoints", "{\"url\":\"" + url + "\"}");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(answer.body().get("message").asString()).contains("private");
        }

        @Test
        void anEndpointUrlMustBeHttp() {
            SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/endpoints", "{\"url\":\"ftp://example.com/x\"}");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        }

        @Test
        void aTakenSlugIsAConflict() {
            String slug = unique("taken");
            client.newOrganization(slug);

            SluiceClient.Answer answer = client.post(null, "/api/v1/organizations",
                    "{\"name\":\"again\",\"slug\":\"" + slug + "\"}");

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.body().get("code").asString()).isEqualTo("CONFLICT");
        }
    }

    @Nested
    class Authentication {

        @Test
        void everyRouteButRegistrationNeedsAKey() {
            SluiceClient.Answer answer = client.get(null, "/api/v1/jobs");

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.body().get("code").asString()).isEqualTo("AUTHENTICATION_FAILED");
        }

        @Test
        void anUnknownKeyIsRefused() {
            assertThat(client.get("sk_live_not-a-real-key", "/api/v1/jobs").status()).isEqualTo(401);
            assertThat(client.get("nonsense", "/api/v1/jobs").status()).isEqualTo(401);
        }

        @Test
        void anUnknownRouteIsNotFoundNotAServerError() {
            SluiceClient.Answer answer = client.get(tenant.apiKey(), "/api/v1/billing/plans");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.body().get("code").asString()).isEqualTo("NOT_FOUND");
        }

        @Test
        void aJobIdThatIsNotAUuidIsNotFound() {
            assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/not-a-uuid").status()).isEqualTo(404);
        }
    }

    @Nested
    class TenantIsolation {

        @Test
        void oneOrganizationNeverSeesAnothersJobsOrEndpoints() {
            String jobId = createJob("").body().get("id").asString();
            SluiceClient.Tenant stranger = client.newOrganization(unique("stranger"));

            assertThat(client.get(stranger.apiKey(), "/api/v1/jobs/" + jobId).status()).isEqualTo(404);
            assertThat(client.get(stranger.apiKey(), "/api/v1/endpoints/" + endpoint.id()).status()).isEqualTo(404);
            assertThat(client.get(stranger.apiKey(), "/api/v1/jobs").body()).isEmpty();
            assertThat(client.get(stranger.apiKey(), "/api/v1/endpoints").body()).isEmpty();
            assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + jobId).status()).isEqualTo(200);
        }

        @Test
        void anotherOrganizationsEndpointCannotBeUsedForAJob() {
            SluiceClient.Tenant stranger = client.newOrganization(unique("borrower"));

            SluiceClient.Answer answer = client.post(stranger.apiKey(), "/api/v1/jobs",
                    "{\"queue_name\":\"orders\",\"payload\":{},\"endpoint_id\":\"" + endpoint.id() + "\"}");

            assertThat(answer.status()).isEqualTo(400);
        }
    }

    @Test
    void theJobListIsNewestFirstAndClampsTheLimit() {
        String older = createJob("").body().get("id").asString();
        String newer = createJob("").body().get("id").asString();

        JsonNode list = client.get(tenant.apiKey(), "/api/v1/jobs?limit=1000").body();

        assertThat(list.get(0).get("id").asString()).isEqualTo(newer);
        assertThat(list.get(1).get("id").asString()).isEqualTo(older);
        assertThat(list.get(0).get("status").asString()).isEqualTo("pending");
    }

    @Test
    void healthReportsDatabaseAndKafka() {
        SluiceClient.Answer health = client.get(null, "/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().get("database").asBoolean()).isTrue();
        assertThat(health.body().get("kafka").asBoolean()).isTrue();
        assertThat(client.get(null, "/health/ready").status()).isEqualTo(200);
    }

    @Test
    void metricsAtTheRootAreThePrometheusScrape() {
        SluiceClient.Answer metrics = client.get(null, "/metrics");

        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(metrics.raw()).containsPattern("(?m)^jvm_memory_used_bytes\\{")
                .containsPattern("(?m)^# TYPE sluice_ingest_jobs_total counter");
    }
}
