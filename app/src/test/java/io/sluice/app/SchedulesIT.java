package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.scheduler.ScheduleFirer;
import io.sluice.store.ScheduleStore;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Cron schedules: each occurrence creates one job, on time, never twice; pause, resume, trigger, history. */
class SchedulesIT extends SluiceIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ScheduleFirer firer;

    @Autowired
    ScheduleStore schedules;

    @Test
    void aScheduleCreatesAJobAtEachOccurrenceAndStopsWhilePaused() {
        // given: a schedule firing every second
        SluiceClient.Tenant tenant = client.newOrganization(unique("schedules"));
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/schedules",
                "{\"name\":\"heartbeat\",\"cron_expression\":\"* * * * * *\",\"timezone\":\"Europe/Berlin\","
                        + "\"queue_name\":\"beats\",\"payload_template\":{\"kind\":\"beat\"},\"priority\":5,"
                        + "\"tags\":{\"team\":\"ops\"},\"metadata\":{\"owner\":\"ana\"}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        JsonNode schedule = created.body();
        String id = schedule.get("id").asString();
        assertThat(schedule.get("cron_expression").asString()).isEqualTo("* * * * * *");
        assertThat(schedule.get("is_active").asBoolean()).isTrue();
        assertThat(Instant.parse(schedule.get("next_run_at").asString())).isAfter(Instant.now().minusSeconds(1));
        assertThat(schedule.get("metadata").get("owner").asString()).isEqualTo("ana");

        // then jobs appear, one per occurrence, from the template
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs(tenant, "beats").size() >= 3);
        JsonNode job = client.get(tenant.apiKey(), "/api/v1/jobs/" + jobs(tenant, "beats").get(0).get("id").asString())
                .body();
        assertThat(job.get("payload").get("kind").asString()).isEqualTo("beat");
        assertThat(job.get("priority").asInt()).isEqualTo(5);
        assertThat(job.get("idempotency_key").asString()).startsWith("schedule:" + id + ":");
        List<JsonNode> history = history(tenant, id);
        assertThat(history).allSatisfy(run -> {
            assertThat(run.get("status").asString()).isEqualTo("triggered");
            assertThat(run.get("job_status").asString()).isEqualTo("pending");
        });
        assertThat(client.get(tenant.apiKey(), "/api/v1/schedules/" + id).body().get("run_count").asLong())
                .isGreaterThanOrEqualTo(3);

        // when paused
        JsonNode paused = client.post(tenant.apiKey(), "/api/v1/schedules/" + id + "/pause", "").body();
        assertThat(paused.get("is_active").asBoolean()).isFalse();
        assertThat(paused.get("next_run_at").isNull()).isTrue();
        int whilePaused = jobs(tenant, "beats").size();

        // then nothing more fires
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> jobs(tenant, "beats").size() == whilePaused);

        // when resumed, it goes on from its next occurrence
        assertThat(client.post(tenant.apiKey(), "/api/v1/schedules/" + id + "/resume", "").body()
                .get("is_active").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs(tenant, "beats").size() > whilePaused);

        // and deleting it stops it; its jobs stay
        assertThat(client.delete(tenant.apiKey(), "/api/v1/schedules/" + id).status()).isEqualTo(204);
        assertThat(client.get(tenant.apiKey(), "/api/v1/schedules/" + id).status()).isEqualTo(404);
        assertThat(jobs(tenant, "beats")).isNotEmpty();
    }

    @Test
    void schedulersFiringAtOnceNeverCreateTwoJobsForOneOccurrence() throws Exception {
        // given: a schedule every second, and four more schedulers beside the running one
        SluiceClient.Tenant tenant = client.newOrganization(unique("schedules-race"));
        String id = create(tenant, "{\"name\":\"race\",\"cron_expression\":\"* * * * * *\",\"queue_name\":\"race\","
                + "\"payload_template\":{}}").get("id").asString();
        ExecutorService schedulers = Executors.newFixedThreadPool(4);
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            running.add(schedulers.submit(() -> {
                while (System.nanoTime() < until) {
                    firer.runOnce();
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        schedulers.shutdown();
        client.post(tenant.apiKey(), "/api/v1/schedules/" + id + "/pause", "");

        // then every occurrence has one run and one job
        List<JsonNode> history = history(tenant, id);
        Set<String> fireTimes = new HashSet<>();
        history.forEach(run -> fireTimes.add(run.get("fire_time").asString()));
        assertThat(history).hasSizeGreaterThanOrEqualTo(3);
        assertThat(fireTimes).hasSameSizeAs(history);
        assertThat(jobs(tenant, "race")).hasSameSizeAs(history);
    }

    @Test
    void afterDowntimeEachMisfirePolicyDoesWhatItSays() {
        // given: three hourly schedules whose last five occurrences passed while Sluice was down (the
        // minute is half an hour from now, so none of them is recent enough to count as on time)
        SluiceClient.Tenant tenant = client.newOrganization(unique("schedules-misfire"));
        Instant now = Instant.now();
        int minute = (now.atZone(java.time.ZoneOffset.UTC).getMinute() + 30) % 60;
        Instant latest = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(minute));
        if (latest.isAfter(now)) {
            latest = latest.minus(Duration.ofHours(1));
        }
        String skip = create(tenant, hourly("skip", minute)).get("id").asString();
        String catchUp = create(tenant, hourly("catch_up", minute)).get("id").asString();
        String none = create(tenant, hourly("none", minute)).get("id").asString();
        for (String id : List.of(skip, catchUp, none)) {
            jdbc.update("UPDATE schedules SET next_run_at = ? WHERE id = ?",
                    Timestamp.from(latest.minus(Duration.ofHours(4))), UUID.fromString(id));
        }

        // when the scheduler comes back
        firer.runOnce();

        // then skip fired once, catch_up five times, none not at all; all wait for the next hour
        assertThat(jobs(tenant, "misfire-skip")).hasSize(1);
        assertThat(jobs(tenant, "misfire-catch_up")).hasSize(5);
        assertThat(jobs(tenant, "misfire-none")).isEmpty();
        for (String id : List.of(skip, catchUp, none)) {
            assertThat(Instant.parse(client.get(tenant.apiKey(), "/api/v1/schedules/" + id).body()
                    .get("next_run_at").asString())).isEqualTo(latest.plus(Duration.ofHours(1)));
        }
    }

    @Test
    void skipIfRunningWaitsForThePreviousJobToEnd() {
        // given: a schedule every second whose jobs nobody takes
        SluiceClient.Tenant tenant = client.newOrganization(unique("schedules-overlap"));
        String id = create(tenant, "{\"name\":\"exclusive\",\"cron_expression\":\"* * * * * *\","
                + "\"queue_name\":\"exclusive\",\"payload_template\":{},\"overlap_policy\":\"skip_if_running\"}")
                .get("id").asString();

        // then the first occurrence makes a job and the next ones are skipped while it waits
        await().atMost(Duration.ofSeconds(20)).until(() -> history(tenant, id).size() >= 3);
        List<JsonNode> waiting = jobs(tenant, "exclusive");
        assertThat(waiting).hasSize(1);
        List<JsonNode> skipped = history(tenant, id).stream()
                .filter(run -> run.get("status").asString().equals("skipped")).toList();
        assertThat(skipped).isNotEmpty().allSatisfy(run -> {
            assertThat(run.get("job_id").isNull()).isTrue();
            assertThat(run.get("error_message").asString()).contains("skip_if_running");
        });

        // when that job ends (cancelled), the next occurrence fires again
        assertThat(client.delete(tenant.apiKey(), "/api/v1/jobs/" + waiting.getFirst().get("id").asString()).status())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs(tenant, "exclusive").size() == 2);
        client.post(tenant.apiKey(), "/api/v1/schedules/" + id + "/pause", "");
    }

    @Test
    void aTriggerFiresAPausedScheduleNowAndKeepsItPaused() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("schedules-trigger"));
        String id = create(tenant, "{\"name\":\"nightly\",\"cron_expression\":\"0 3 * * *\",\"queue_name\":\"nightly\","
                + "\"payload_template\":{\"n\":1},\"is_active\":false}").get("id").asString();

        SluiceClient.Answer triggered = client.post(tenant.apiKey(), "/api/v1/schedules/" + id + "/trigger", "");

        assertThat(triggered.status()).as(triggered.raw()).isEqualTo(200);
        String job = triggered.body().get("job_id").asString();
        assertThat(triggered.body().get("triggered_at").isNull()).isFalse();
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + job).body().get("queue_name").asString())
                .isEqualTo("nightly");
        assertThat(history(tenant, id)).extracting(run -> run.get("job_id").asString()).containsExactly(job);
        JsonNode after = client.get(tenant.apiKey(), "/api/v1/schedules/" + id).body();
        assertThat(after.get("is_active").asBoolean()).isFalse();
        assertThat(after.get("run_count").asLong()).isEqualTo(1);
    }

    @Test
    void runsOlderThanTheirRetentionAreForgottenAndTheirJobsStay() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("schedules-retention"));
        String id = create(tenant, "{\"name\":\"weekly\",\"cron_expression\":\"0 3 * * MON\",\"queue_name\":\"weekly\","
                + "\"payload_template\":{},\"is_active\":false}").get("id").asString();
        String job = client.post(tenant.apiKey(), "/api/v1/schedules/" + id + "/trigger", "").body().get("job_id")
                .asString();

        schedules.forgetRunsBefore(Instant.now().minus(Duration.ofHours(1)));
        assertThat(history(tenant, id)).hasSize(1);

        schedules.forgetRunsBefore(Instant.now().plusSeconds(1));
        assertThat(history(tenant, id)).isEmpty();
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + job).status()).isEqualTo(200);
    }

    @Test
    void aScheduleThatCannotWorkIsRefusedAndOthersSchedulesAreInvisible() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("schedules-refused"));
        assertRefused(tenant, "{\"name\":\"x\",\"cron_expression\":\"61 * * * *\",\"queue_name\":\"q\","
                + "\"payload_template\":{}}", "cron_expression");
        assertRefused(tenant, "{\"name\":\"x\",\"cron_expression\":\"* * * *\",\"queue_name\":\"q\","
                + "\"payload_template\":{}}", "cron_expression");
        assertRefused(tenant, "{\"name\":\"x\",\"cron_expression\":\"0 9 * * *\",\"timezone\":\"Mars/Olympus\","
                + "\"queue_name\":\"q\",\"payload_template\":{}}", "timezone");
        assertRefused(tenant, "{\"name\":\"x\",\"cron_expression\":\"0 9 * * *\",\"queue_name\":\"q\","
                + "\"payload_template\":{},\"misfire_policy\":\"later\"}", "misfire_policy");
        assertRefused(tenant, "{\"name\":\"x\",\"cron_expression\":\"0 9 * * *\",\"queue_name\":\"q\"}",
                "payload_template");
        assertRefused(tenant, "{\"name\":\"x\",\"cron_expression\":\"0 9 * * *\",\"queue_name\":\"q\","
                + "\"payload_template\":{},\"priority\":101}", "priority");
        assertThat(client.get(tenant.apiKey(), "/api/v1/schedules").body()).isEmpty();

        String id = create(tenant, hourly("skip")).get("id").asString();
        SluiceClient.Tenant stranger = client.newOrganization(unique("schedules-stranger"));
        assertThat(client.get(stranger.apiKey(), "/api/v1/schedules/" + id).status()).isEqualTo(404);
        assertThat(client.post(stranger.apiKey(), "/api/v1/schedules/" + id + "/trigger", "").status()).isEqualTo(404);
        assertThat(client.delete(stranger.apiKey(), "/api/v1/schedules/" + id).status()).isEqualTo(404);
        assertThat(client.get(tenant.apiKey(), "/api/v1/schedules/" + id).status()).isEqualTo(200);
    }

    private void assertRefused(SluiceClient.Tenant tenant, String body, String field) {
        SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/schedules", body);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
        assertThat(answer.body().get("details").get("field").asString()).isEqualTo(field);
    }

    private static String hourly(String misfirePolicy) {
        return hourly(misfirePolicy, 0);
    }

    private static String hourly(String misfirePolicy, int minute) {
        return "{\"name\":\"" + misfirePolicy + "\",\"cron_expression\":\"" + minute + " * * * *\",\"queue_name\":\"misfire-"
                + misfirePolicy + "\",\"payload_template\":{},\"misfire_policy\":\"" + misfirePolicy + "\"}";
    }

    private JsonNode create(SluiceClient.Tenant tenant, String body) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/schedules", body);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body();
    }

    private List<JsonNode> jobs(SluiceClient.Tenant tenant, String queue) {
        List<JsonNode> jobs = new ArrayList<>();
        client.get(tenant.apiKey(), "/api/v1/jobs?limit=100&queue_name=" + queue).body().forEach(jobs::add);
        return jobs;
    }

    private List<JsonNode> history(SluiceClient.Tenant tenant, String id) {
        List<JsonNode> runs = new ArrayList<>();
        client.get(tenant.apiKey(), "/api/v1/schedules/" + id + "/history?limit=100").body().forEach(runs::add);
        return runs;
    }
}
