package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.worker.QueueDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Pull mode: workers register, claim jobs with leases (fed from the work topic), complete or
 * fail them; expired leases, silent and departed workers send jobs back down the retry path.
 */
class ExternalWorkersIT extends SluiceIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    QueueDirectory queues;

    @Test
    void aWorkerClaimsByPriorityThenAgeAndCompletesWithAResult() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers"));
        String worker = register(tenant, "images");
        String low = enqueue(tenant, "images", "{\"n\":1}", 0);
        String urgent = enqueue(tenant, "images", "{\"n\":2}", 10);
        String later = enqueue(tenant, "images", "{\"n\":3}", 0);

        List<JsonNode> claimed = claimAll(tenant, "images", worker, 3, 30);

        assertThat(claimed).extracting(j -> j.get("id").asString()).containsExactly(urgent, low, later);
        JsonNode first = claimed.getFirst();
        assertThat(first.get("payload").get("n").asInt()).isEqualTo(2);
        assertThat(first.get("queue_name").asString()).isEqualTo("images");
        assertThat(first.get("retry_count").asInt()).isZero();
        assertThat(first.has("lease_id") && first.has("lease_expires_at") && first.has("max_retries")).isTrue();
        JsonNode processing = client.get(tenant.apiKey(), "/api/v1/jobs/" + urgent).body();
        assertThat(processing.get("status").asString()).isEqualTo("processing");
        assertThat(processing.get("assigned_worker_id").asString()).isEqualTo(worker);

        // when
        SluiceClient.Answer completed = client.post(tenant.apiKey(), "/api/v1/jobs/" + urgent + "/complete",
                "{\"worker_id\":\"" + worker + "\",\"lease_id\":\"" + first.get("lease_id").asString()
                        + "\",\"result\":{\"thumbnail\":\"t.png\"}}");

        // then
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.body().get("success").asBoolean()).isTrue();
        JsonNode done = client.get(tenant.apiKey(), "/api/v1/jobs/" + urgent).body();
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("result").get("thumbnail").asString()).isEqualTo("t.png");
        assertThat(done.get("completed_at").isNull()).isFalse();
        assertThat(done.get("attempts")).hasSize(1);
        assertThat(TenancyIT.error(client.post(tenant.apiKey(), "/api/v1/jobs/" + urgent + "/complete",
                "{\"worker_id\":\"" + worker + "\"}"))).isEqualTo("409 CONFLICT");
        assertThat(TenancyIT.error(client.post(tenant.apiKey(), "/api/v1/jobs/" + low + "/complete",
                "{\"worker_id\":\"" + worker + "\",\"lease_id\":\"" + java.util.UUID.randomUUID() + "\"}")))
                .isEqualTo("409 LEASE_EXPIRED");
        String stranger = register(tenant, "images");
        assertThat(TenancyIT.error(client.post(tenant.apiKey(), "/api/v1/jobs/" + low + "/complete",
                "{\"worker_id\":\"" + stranger + "\"}"))).isEqualTo("404 NOT_FOUND");
        assertThat(client.get(tenant.apiKey(), "/api/v1/queues/images/stats").body().get("active_workers").asInt())
                .isEqualTo(2);
    }

    @Test
    void aPausedQueueHandsOutNothingAndResumingHandsOutEveryJob() {
        // given: two jobs relayed to this node's feed before the pause, two accepted during it
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers-pause"));
        String worker = register(tenant, "thumbs");
        String early = enqueue(tenant, "thumbs", "{}", 0);
        String earlyUrgent = enqueue(tenant, "thumbs", "{}", 5);
        assertThat(client.post(tenant.apiKey(), "/api/v1/queues/thumbs/pause", "").status()).isEqualTo(200);
        String late = enqueue(tenant, "thumbs", "{}", 0);
        String lateUrgent = enqueue(tenant, "thumbs", "{}", 9);

        // when: the worker keeps claiming while every job waits parked
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(claim(tenant, "thumbs", worker, 10, 30).body().get("jobs")).isEmpty();
            return parked(tenant) == 4;
        });

        // then: nothing was handed out; after the resume, all of them are, by priority then age
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/stats").body().get("processing").asLong()).isZero();
        assertThat(client.post(tenant.apiKey(), "/api/v1/queues/thumbs/resume", "").status()).isEqualTo(200);
        List<JsonNode> claimed = claimAll(tenant, "thumbs", worker, 4, 30);
        assertThat(claimed).extracting(j -> j.get("id").asString())
                .containsExactlyInAnyOrder(lateUrgent, earlyUrgent, early, late);
        assertThat(parked(tenant)).isZero();
    }

    @Test
    void aRateLimitedQueueHandsOutNoMoreASecondThanItsLimit() {
        // given: a queue limited to 3 jobs a second, known to this node's feed, with ten waiting
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers-rate"));
        String worker = register(tenant, "crawl");
        client.put(tenant.apiKey(), "/api/v1/queues/crawl/config", "{\"rate_limit\":3}");
        UUID organization = UUID.fromString(tenant.organizationId());
        await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(3).equals(queues.rateLimit(organization, "crawl")));
        for (int i = 0; i < 10; i++) {
            enqueue(tenant, "crawl", "{}", 0);
        }

        // when: the worker asks for all of them, again and again (beating, so it is not taken for
        // gone after the tests' 3 s of silence and its jobs sent round again)
        List<Long> claimedAt = new ArrayList<>();
        Set<String> claimedIds = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            heartbeat(tenant, worker);
            long now = System.nanoTime();
            claim(tenant, "crawl", worker, 10, 30).body().get("jobs").forEach(j -> {
                claimedAt.add(now);
                claimedIds.add(j.get("id").asString());
            });
            return claimedAt.size() >= 10;
        });

        // then: every job came, never more than 3 + 3 within one second (two limiter cycles may meet)
        assertThat(claimedAt).hasSize(10);
        assertThat(claimedIds).hasSize(10);
        for (long from : claimedAt) {
            assertThat(claimedAt.stream().filter(t -> t >= from && t < from + 1_000_000_000L).count())
                    .isLessThanOrEqualTo(6);
        }
    }

    private long parked(SluiceClient.Tenant tenant) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM parked_jobs WHERE organization_id = ?::uuid",
                Long.class, tenant.organizationId());
        return count == null ? 0 : count;
    }

    @Test
    void aFailureIsRetriedAfterItsDelayAndAFinalOneDeadLetters() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers-fail"));
        String worker = register(tenant, "mail");
        String job = client.post(tenant.apiKey(), "/api/v1/jobs",
                "{\"queue_name\":\"mail\",\"payload\":{},\"max_retries\":1}").body().get("id").asString();

        JsonNode firstLease = claimAll(tenant, "mail", worker, 1, 30).getFirst();
        JsonNode failed = client.post(tenant.apiKey(), "/api/v1/jobs/" + job + "/fail",
                "{\"worker_id\":\"" + worker + "\",\"error\":\"smtp down\"}").body();

        assertThat(failed.get("success").asBoolean()).isTrue();
        assertThat(failed.get("will_retry").asBoolean()).isTrue();
        assertThat(failed.get("next_retry_delay_secs").asInt()).isEqualTo(1);
        JsonNode waiting = client.get(tenant.apiKey(), "/api/v1/jobs/" + job).body();
        assertThat(waiting.get("status").asString()).isEqualTo("pending");
        assertThat(waiting.get("last_error").asString()).isEqualTo("smtp down");

        JsonNode secondLease = claimAll(tenant, "mail", worker, 1, 30).getFirst();
        assertThat(secondLease.get("retry_count").asInt()).isEqualTo(1);
        assertThat(secondLease.get("lease_id").asString()).isNotEqualTo(firstLease.get("lease_id").asString());
        JsonNode last = client.post(tenant.apiKey(), "/api/v1/jobs/" + job + "/fail",
                "{\"worker_id\":\"" + worker + "\",\"error\":\"smtp still down\",\"lease_id\":\""
                        + secondLease.get("lease_id").asString() + "\"}").body();

        assertThat(last.get("will_retry").asBoolean()).isFalse();
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + job).body().get("status").asString())
                .isEqualTo("deadletter");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/dlq?queue_name=mail").body()).hasSize(1);

        // a dead letter retried by hand is offered to workers again, as new
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/" + job + "/retry", "").status()).isEqualTo(200);
        JsonNode afterRetry = claimAll(tenant, "mail", worker, 1, 30).getFirst();
        assertThat(afterRetry.get("id").asString()).isEqualTo(job);
        assertThat(afterRetry.get("retry_count").asInt()).isZero();
    }

    @Test
    void aWorkflowOfWorkerJobsHandsOutEachJobOnceItsDependencyWasCompletedByAWorker() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers-flow"));
        String worker = register(tenant, "etl");
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/workflows", "{\"name\":\"etl\",\"jobs\":["
                + "{\"key\":\"extract\",\"queue_name\":\"etl\",\"payload\":{\"step\":1}},"
                + "{\"key\":\"load\",\"queue_name\":\"etl\",\"payload\":{\"step\":2},\"depends_on\":[\"extract\"]}]}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);

        // only the first step is handed out; the second waits for it
        JsonNode extract = claimAll(tenant, "etl", worker, 1, 30).getFirst();
        assertThat(extract.get("payload").get("step").asInt()).isEqualTo(1);
        assertThat(claim(tenant, "etl", worker, 10, 30).body().get("jobs")).isEmpty();
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/" + extract.get("id").asString() + "/complete",
                "{\"worker_id\":\"" + worker + "\",\"result\":{\"rows\":3}}").status()).isEqualTo(200);

        // its completion released the second
        JsonNode load = claimAll(tenant, "etl", worker, 1, 30).getFirst();
        assertThat(load.get("payload").get("step").asInt()).isEqualTo(2);
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/" + load.get("id").asString() + "/complete",
                "{\"worker_id\":\"" + worker + "\"}").status()).isEqualTo(200);
        String workflow = created.body().get("workflow_id").asString();
        assertThat(client.get(tenant.apiKey(), "/api/v1/workflows/" + workflow).body().get("status").asString())
                .isEqualTo("completed");
    }

    @Test
    void twoWorkersClaimingAtOnceNeverShareAJob() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers-race"));
        String one = register(tenant, "race");
        String two = register(tenant, "race");
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            jobs.add(enqueue(tenant, "race", "{}", 0));
        }

        CompletableFuture<List<String>> first = CompletableFuture.supplyAsync(() -> claimIds(tenant, one, jobs.size()));
        CompletableFuture<List<String>> second = CompletableFuture.supplyAsync(() -> claimIds(tenant, two, jobs.size()));
        await().atMost(Duration.ofSeconds(60)).until(() -> first.isDone() && second.isDone());

        Set<String> all = new HashSet<>(first.get());
        all.addAll(second.get());
        assertThat(first.get().size() + second.get().size()).isEqualTo(all.size());
        assertThat(all).containsExactlyInAnyOrderElementsOf(jobs);
    }

    @Test
    void anExpiredLeaseSendsTheJobBackAndTheLateCompletionIsRefused() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers-lease"));
        String worker = register(tenant, "slow");
        String job = enqueue(tenant, "slow", "{}", 0);
        JsonNode lease = claimAll(tenant, "slow", worker, 1, 5).getFirst();

        // the worker keeps its lease alive once, then stops
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/" + job + "/heartbeat",
                "{\"worker_id\":\"" + worker + "\",\"lease_duration_secs\":5}").body().get("success").asBoolean()).isTrue();

        JsonNode again = claimAll(tenant, "slow", worker, 1, 30).getFirst();

        assertThat(again.get("id").asString()).isEqualTo(job);
        assertThat(again.get("retry_count").asInt()).isEqualTo(1);
        assertThat(TenancyIT.error(client.post(tenant.apiKey(), "/api/v1/jobs/" + job + "/complete",
                "{\"worker_id\":\"" + worker + "\",\"lease_id\":\"" + lease.get("lease_id").asString() + "\"}")))
                .isEqualTo("409 LEASE_EXPIRED");
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/" + job + "/complete",
                "{\"worker_id\":\"" + worker + "\",\"lease_id\":\"" + again.get("lease_id").asString() + "\"}")
                .status()).isEqualTo(200);
    }

    @Test
    void aSilentWorkersJobsComeBackAndADepartingWorkersAtOnce() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers-silent"));
        String silent = register(tenant, "batch");
        String leaving = register(tenant, "batch");
        String heir = register(tenant, "batch");
        String first = enqueue(tenant, "batch", "{}", 0);
        claimAll(tenant, "batch", silent, 1, 3600);
        String second = enqueue(tenant, "batch", "{}", 0);
        claimAll(tenant, "batch", leaving, 1, 3600);

        // when: one leaves, the other says nothing more
        JsonNode left = client.post(tenant.apiKey(), "/api/v1/workers/" + leaving + "/deregister", "").body();

        // then: both jobs reach the third worker, and the two are offline
        assertThat(left.get("success").asBoolean()).isTrue();
        List<String> inherited = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            heartbeat(tenant, heir);
            inherited.addAll(claimIds(tenant, heir, 2, Duration.ZERO));
            return inherited.size() == 2;
        });
        assertThat(inherited).containsExactlyInAnyOrder(first, second);
        assertThat(client.get(tenant.apiKey(), "/api/v1/workers/" + silent).body().get("status").asString())
                .isEqualTo("offline");
        JsonNode workers = client.get(tenant.apiKey(), "/api/v1/workers").body();
        assertThat(workers).hasSize(3);
        assertThat(StreamSupport.stream(workers.spliterator(), false).filter(w -> w.get("status").asString()
                .equals("offline"))).hasSize(2);
    }

    @Test
    void theDashboardSumsUpJobsQueuesWorkersAndRecentActivity() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("dashboard"));
        String worker = register(tenant, "dash");
        for (int i = 0; i < 3; i++) {
            enqueue(tenant, "dash", "{}", 0);
        }
        JsonNode lease = claimAll(tenant, "dash", worker, 1, 30).getFirst();
        client.post(tenant.apiKey(), "/api/v1/jobs/" + lease.get("id").asString() + "/complete",
                "{\"worker_id\":\"" + worker + "\"}");

        JsonNode dashboard = client.get(tenant.apiKey(), "/api/v1/dashboard").body();

        JsonNode jobs = dashboard.get("jobs");
        assertThat(jobs.get("total").asLong()).isEqualTo(3);
        assertThat(jobs.get("pending").asLong()).isEqualTo(2);
        assertThat(jobs.get("processing").asLong()).isZero();
        assertThat(jobs.get("completed_24h").asLong()).isEqualTo(1);
        assertThat(jobs.get("avg_processing_time_ms").isNull()).isFalse();
        assertThat(dashboard.get("queues")).hasSize(1);
        assertThat(dashboard.get("queues").get(0).get("name").asString()).isEqualTo("dash");
        assertThat(dashboard.get("queues").get(0).get("pending").asLong()).isEqualTo(2);
        assertThat(dashboard.get("queues").get(0).get("paused").asBoolean()).isFalse();
        assertThat(dashboard.at("/workers/healthy").asLong()).isEqualTo(1);
        assertThat(dashboard.at("/recent_activity/jobs_created_1h").asLong()).isEqualTo(3);
        assertThat(dashboard.at("/recent_activity/jobs_completed_1h").asLong()).isEqualTo(1);
        assertThat(dashboard.at("/system/database_status").asString()).isEqualTo("healthy");
        assertThat(dashboard.at("/system/cache_status").asString()).isEqualTo("healthy");
        assertThat(dashboard.at("/system/uptime_seconds").asLong()).isNotNegative();
    }

    @Test
    void workerAndClaimInputIsChecked() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("workers-input"));
        String worker = register(tenant, "checked");

        assertThat(TenancyIT.error(client.post(tenant.apiKey(), "/api/v1/workers/register", "{\"queue_name\":\"q\"}")))
                .isEqualTo("400 VALIDATION_ERROR");
        assertThat(TenancyIT.error(client.post(tenant.apiKey(), "/api/v1/workers/register",
                "{\"queue_name\":\"q\",\"hostname\":\"h\",\"max_concurrency\":101}"))).isEqualTo("400 VALIDATION_ERROR");
        assertThat(TenancyIT.error(claim(tenant, "checked", worker, 0, 30))).isEqualTo("400 VALIDATION_ERROR");
        assertThat(TenancyIT.error(claim(tenant, "checked", worker, 1, 4))).isEqualTo("400 VALIDATION_ERROR");
        assertThat(TenancyIT.error(claim(tenant, "other", worker, 1, 30))).isEqualTo("400 VALIDATION_ERROR");
        assertThat(TenancyIT.error(claim(tenant, "checked", java.util.UUID.randomUUID().toString(), 1, 30)))
                .isEqualTo("404 NOT_FOUND");
        assertThat(claim(tenant, "checked", worker, 5, 30).body().get("jobs")).isEmpty();
        JsonNode registered = client.get(tenant.apiKey(), "/api/v1/workers/" + worker).body();
        assertThat(registered.get("status").asString()).isEqualTo("healthy");
        assertThat(registered.get("max_concurrency").asInt()).isEqualTo(5);
        assertThat(registered.get("hostname").asString()).isEqualTo("host-1");
    }

    private String register(SluiceClient.Tenant tenant, String queue) {
        SluiceClient.Answer registered = client.post(tenant.apiKey(), "/api/v1/workers/register",
                "{\"queue_name\":\"" + queue + "\",\"hostname\":\"host-1\",\"metadata\":{\"pid\":7}}");
        assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
        assertThat(registered.body().get("lease_duration_secs").asInt()).isEqualTo(30);
        return registered.body().get("id").asString();
    }

    private void heartbeat(SluiceClient.Tenant tenant, String worker) {
        client.post(tenant.apiKey(), "/api/v1/workers/" + worker + "/heartbeat", "{\"current_jobs\":0}");
    }

    private String enqueue(SluiceClient.Tenant tenant, String queue, String payload, int priority) {
        return client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue + "\",\"payload\":" + payload
                + ",\"priority\":" + priority + "}").body().get("id").asString();
    }

    private SluiceClient.Answer claim(SluiceClient.Tenant tenant, String queue, String worker, int limit, int leaseSecs) {
        return client.post(tenant.apiKey(), "/api/v1/jobs/claim", "{\"queue_name\":\"" + queue + "\",\"worker_id\":\""
                + worker + "\",\"limit\":" + limit + ",\"lease_duration_secs\":" + leaseSecs + "}");
    }

    /** Claims until {@code count} jobs came (the feed brings them within moments of their acceptance). */
    private List<JsonNode> claimAll(SluiceClient.Tenant tenant, String queue, String worker, int count, int leaseSecs) {
        List<JsonNode> claimed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            claim(tenant, queue, worker, count - claimed.size(), leaseSecs).body().get("jobs").forEach(claimed::add);
            return claimed.size() >= count;
        });
        return claimed;
    }

    private List<String> claimIds(SluiceClient.Tenant tenant, String worker, int total) {
        List<String> mine = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> got = claimIds(tenant, worker, 3, Duration.ofMillis(20));
            mine.addAll(got);
            if (got.isEmpty() && countProcessing(tenant) >= total) {
                break;
            }
        }
        return mine;
    }

    private List<String> claimIds(SluiceClient.Tenant tenant, String worker, int limit, Duration pause) {
        String queue = client.get(tenant.apiKey(), "/api/v1/workers/" + worker).body().get("queue_name").asString();
        List<String> ids = new ArrayList<>();
        claim(tenant, queue, worker, limit, 3600).body().get("jobs").forEach(j -> ids.add(j.get("id").asString()));
        if (ids.isEmpty() && !pause.isZero()) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ids;
    }

    private long countProcessing(SluiceClient.Tenant tenant) {
        return client.get(tenant.apiKey(), "/api/v1/jobs/stats").body().get("processing").asLong();
    }
}
