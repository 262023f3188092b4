package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.TestReceiver;
import io.sluice.worker.QueueDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Queues: listed, shown and configured; their settings are defaults for the jobs sent to them;
 * paused and resumed.
 */
class QueueIT extends SluiceIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    QueueDirectory queues;

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
        assertRefused(tenant, "mail", "{\"rate_limit\":-1}", "rate_limit must be between 0 and 100000");
        assertRefused(tenant, "mail", "{\"enabled\":false}", "pause it: POST /api/v1/queues/mail/pause");
        assertRefused(tenant, "mail", "{\"settings\":[1,2]}", "settings must be a JSON object");
        assertRefused(tenant, ".hidden", "{}", "alphanumeric");
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues").body()).isEmpty();
    }

    @Test
    void aPausedQueueDeliversNothingAndResumingDeliversWhatWaitedInOrder() {
        // given: a queue with jobs already delivered
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-pause"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/paused"));
        sendJob(tenant, endpoint, "before");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.distinctCount() == 1);

        // when: paused, then sent three more
        SluiceClient.Answer paused = client.post(tenant.apiKey(), "/api/v1/queues/billing/pause",
                "{\"reason\":\"receiver maintenance\"}");
        List<String> waiting = List.of(sendJob(tenant, endpoint, "one"), sendJob(tenant, endpoint, "two"),
                sendJob(tenant, endpoint, "three"));

        // then: they are parked, not delivered
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.body().get("queue_name").asString()).isEqualTo("billing");
        assertThat(paused.body().get("paused").asBoolean()).isTrue();
        assertThat(paused.body().get("reason").asString()).isEqualTo("receiver maintenance");
        assertThat(paused.body().get("paused_at").isNull()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> parked(tenant) == 3);
        assertThat(receiver.distinctCount()).isEqualTo(1);
        for (String job : waiting) {
            assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + job).body().get("status").asString())
                    .isEqualTo("pending");
        }

        // when: resumed
        SluiceClient.Answer resumed = client.post(tenant.apiKey(), "/api/v1/queues/billing/resume", "");

        // then: the waiting jobs go out
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.body().get("resumed").asBoolean()).isTrue();
        assertThat(resumed.body().get("paused_duration_secs").asLong()).isGreaterThanOrEqualTo(0);
        for (String job : waiting) {
            awaitStatus(tenant, job, "completed");
        }
        assertThat(receiver.deliveries()).extracting(d -> SluiceClient.JSON.readTree(d.body()).get("n").asString())
                .containsExactlyInAnyOrder("before", "one", "two", "three");
        assertThat(parked(tenant)).isZero();
    }

    @Test
    void aRetryAlreadyInKafkaWhenTheQueuePausedWaitsAndResumesAtItsAttempt() {
        // given: a job whose first attempt failed, its retry waiting in a retry tier
        AtomicInteger answer = new AtomicInteger(500);
        receiver.answering(d -> answer.get());
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-pause-retry"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/retried"));
        String job = sendJob(tenant, endpoint, "retried");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.deliveriesOf(job).size() == 1);

        // when: the queue is paused before the retry is due, and the receiver recovers
        client.post(tenant.apiKey(), "/api/v1/queues/billing/pause", "");
        answer.set(200);

        // then: the retry is parked by the delivery worker, not attempted
        await().atMost(Duration.ofSeconds(30)).until(() -> parked(tenant) == 1);
        assertThat(receiver.deliveriesOf(job)).hasSize(1);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + job).body().get("status").asString())
                .isEqualTo("pending");

        // and once resumed it is made, as the job's second attempt
        client.post(tenant.apiKey(), "/api/v1/queues/billing/resume", "");
        JsonNode done = awaitStatus(tenant, job, "completed");
        assertThat(receiver.deliveriesOf(job)).hasSize(2);
        assertThat(done.get("attempts")).hasSize(2);
        assertThat(done.get("retry_count").asInt()).isEqualTo(1);
    }

    @Test
    void aRateLimitedQueueStartsNoMoreDeliveriesASecondThanItsLimit() {
        // given: a queue limited to 4 deliveries a second, the limit known to the delivery workers
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-rate"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/paced"));
        SluiceClient.Answer configured = client.put(tenant.apiKey(), "/api/v1/queues/billing/config", "{\"rate_limit\":4}");
        assertThat(configured.body().get("rate_limit").asInt()).isEqualTo(4);
        UUID organization = UUID.fromString(tenant.organizationId());
        await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(4).equals(queues.rateLimit(organization, "billing")));

        // when: twelve jobs at once
        for (int i = 0; i < 12; i++) {
            sendJob(tenant, endpoint, "paced-" + i);
        }

        // then: all delivered, spread over at least two seconds, never more than 4 + 4 in any second
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.distinctCount() == 12);
        List<Instant> times = receiver.deliveries().stream().map(TestReceiver.Delivery::receivedAt).sorted().toList();
        assertThat(Duration.between(times.getFirst(), times.getLast())).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        for (Instant from : times) {
            // two refresh cycles of the limiter can meet within one second
            assertThat(times.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plusSeconds(1))).count())
                    .isLessThanOrEqualTo(8);
        }
        assertThat(client.put(tenant.apiKey(), "/api/v1/queues/billing/config", "{\"rate_limit\":0}").body()
                .get("rate_limit").isNull()).isTrue();
    }

    @Test
    void aQueueWithJobsToRunIsRemovedOnlyWithThemAndComesBackFreshWhenUsedAgain() {
        // given: a paused queue holding a job with an idempotency key
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-remove"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/removed"));
        client.put(tenant.apiKey(), "/api/v1/queues/billing/config", "{}");
        assertThat(client.post(tenant.apiKey(), "/api/v1/queues/billing/pause", "").status()).isEqualTo(200);
        String body = "{\"queue_name\":\"billing\",\"endpoint_id\":\"" + endpoint.id()
                + "\",\"payload\":{\"n\":\"again\"},\"idempotency_key\":\"order-7\"}";
        String job = client.post(tenant.apiKey(), "/api/v1/jobs", body).body().get("id").asString();
        UUID organization = UUID.fromString(tenant.organizationId());
        await().atMost(Duration.ofSeconds(30)).until(() -> queues.isPaused(organization, "billing"));

        // when
        SluiceClient.Answer refused = client.delete(tenant.apiKey(), "/api/v1/queues/billing");
        SluiceClient.Answer removed = client.delete(tenant.apiKey(), "/api/v1/queues/billing?delete_jobs=true");

        // then: gone with its job; the workers forgot the pause, so the queue used again delivers
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("message").asString()).contains("1 jobs still to run");
        assertThat(removed.status()).isEqualTo(204);
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues/billing").status()).isEqualTo(404);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + job).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(30)).until(() -> !queues.isPaused(organization, "billing"));
        SluiceClient.Answer anew = client.post(tenant.apiKey(), "/api/v1/jobs", body);
        assertThat(anew.status()).isEqualTo(201);
        assertThat(anew.body().get("id").asString()).isNotEqualTo(job);
        awaitStatus(tenant, anew.body().get("id").asString(), "completed");
        assertThat(client.delete(tenant.apiKey(), "/api/v1/queues/billing").status()).isEqualTo(204);
        assertThat(client.delete(tenant.apiKey(), "/api/v1/queues/billing").status()).isEqualTo(404);
    }

    @Test
    void pausingTellsTheTruthAboutTheQueue() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("queue-pause-contract"));
        client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"mail\",\"payload\":{}}");

        SluiceClient.Answer first = client.post(tenant.apiKey(), "/api/v1/queues/mail/pause", "");
        SluiceClient.Answer again = client.post(tenant.apiKey(), "/api/v1/queues/mail/pause", "{\"reason\":\"still\"}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("reason").isNull()).isTrue();
        assertThat(again.body().get("paused_at").asString()).isEqualTo(first.body().get("paused_at").asString());
        assertThat(again.body().get("reason").asString()).isEqualTo("still");
        JsonNode shown = client.get(tenant.apiKey(), "/api/v1/queues/mail").body();
        assertThat(shown.get("paused").asBoolean()).isTrue();
        assertThat(shown.get("pause_reason").asString()).isEqualTo("still");
        assertThat(shown.get("paused_at").asString()).isEqualTo(first.body().get("paused_at").asString());
        assertThat(client.post(tenant.apiKey(), "/api/v1/queues/nowhere/pause", "").status()).isEqualTo(404);
        assertThat(client.post(tenant.apiKey(), "/api/v1/queues/nowhere/resume", "").status()).isEqualTo(404);
        assertThat(client.post(tenant.apiKey(), "/api/v1/queues/mail/pause",
                "{\"reason\":\"" + "x".repeat(1025) + "\"}").status()).isEqualTo(400);
        assertThat(client.post(tenant.apiKey(), "/api/v1/queues/mail/resume", "").status()).isEqualTo(200);
        SluiceClient.Answer notPaused = client.post(tenant.apiKey(), "/api/v1/queues/mail/resume", "");
        assertThat(notPaused.status()).isEqualTo(200);
        assertThat(notPaused.body().get("paused_duration_secs").asLong()).isZero();
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues/mail").body().get("paused").asBoolean()).isFalse();
    }

    private String sendJob(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, String n) {
        SluiceClient.Answer sent = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"billing\",\"endpoint_id\":\""
                + endpoint.id() + "\",\"payload\":{\"n\":\"" + n + "\"}}");
        assertThat(sent.status()).as(sent.raw()).isEqualTo(201);
        return sent.body().get("id").asString();
    }

    private long parked(SluiceClient.Tenant tenant) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM parked_jobs WHERE organization_id = ?::uuid",
                Long.class, tenant.organizationId());
        return count == null ? 0 : count;
    }

    private void assertRefused(SluiceClient.Tenant tenant, String queue, String body, String reason) {
        SluiceClient.Answer refused = client.put(tenant.apiKey(), "/api/v1/queues/" + queue + "/config", body);
        assertThat(refused.status()).as(body).isEqualTo(400);
        assertThat(refused.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.body().get("message").asString()).contains(reason);
    }
}
