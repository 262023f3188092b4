package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The realtime streams (SSE) on real Kafka and PostgreSQL: a job's life pushed in order, a
 * reconnect with {@code Last-Event-ID} that misses nothing, a queue's live counts, its workers
 * coming and going, and the refusals.
 */
class RealtimeIT extends SluiceIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestReceiver receiver = TestReceiver.start().answering(delivery -> 200);

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aJobsStreamCarriesItsWholeLifeInOrderAndEndsWithIt() throws Exception {
        // given: a job due in two seconds
        SluiceClient.Tenant tenant = client.newOrganization(unique("live-job"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/live"));
        String id = enqueue(tenant, endpoint, "live-jobs", Instant.now().plusSeconds(2).toString());

        // when: its stream is opened with the key in the query string, as a browser's EventSource does
        try (SseStream stream = SseStream.open(url("/api/v1/events/jobs/" + id + "?api_key=" + tenant.apiKey()),
                Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");

            // then: where it stands, each move, its completion; then the stream ends
            List<SseStream.Frame> frames = stream.until("JobCompleted", WAIT);
            assertThat(frames).extracting(SseStream.Frame::type,
                            frame -> text(frame.body(), "old_status"), frame -> text(frame.body(), "new_status"))
                    .containsExactly(
                            tuple("JobStatusChange", null, "scheduled"),
                            tuple("JobStatusChange", "scheduled", "pending"),
                            tuple("JobStatusChange", "pending", "completed"),
                            tuple("JobCompleted", null, null));
            assertThat(frames).allSatisfy(frame -> {
                assertThat(frame.id()).isNotBlank();
                assertThat(frame.body().get("job_id").asString()).isEqualTo(id);
            });
            assertThat(frames.getLast().body().get("duration_ms").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(stream.endsWithin(Duration.ofSeconds(5))).as("closed once the job ended").isTrue();
        }
    }

    @Test
    void anAttemptThatFailedAndWillBeRetriedIsJobFailedWithWillRetry() throws Exception {
        // given: a receiver that fails the job's first attempt, and a job due in two seconds
        AtomicInteger attempts = new AtomicInteger();
        receiver.answering(delivery -> delivery.path().startsWith("/flaky") && attempts.incrementAndGet() == 1
                ? 503 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("live-retry"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/flaky"));
        String id = enqueue(tenant, endpoint, "live-retries", Instant.now().plusSeconds(2).toString());

        try (SseStream stream = SseStream.open(url("/api/v1/events/jobs/" + id + "?api_key=" + tenant.apiKey()),
                Map.of())) {
            List<SseStream.Frame> frames = stream.until("JobCompleted", WAIT);

            // then: the failed attempt, while the job stays pending, then its completion
            List<SseStream.Frame> failed = frames.stream().filter(frame -> frame.type().equals("JobFailed")).toList();
            assertThat(failed).singleElement().satisfies(frame -> {
                assertThat(frame.body().get("will_retry").asBoolean()).isTrue();
                assertThat(frame.body().get("retry_count").asInt()).isZero();
                assertThat(frame.body().get("queue_name").asString()).isEqualTo("live-retries");
                assertThat(frame.body().get("error").asString()).contains("503");
                assertThat(frame.body().get("next_attempt_at").asString()).isNotBlank();
            });
            assertThat(frames.indexOf(failed.getFirst())).isLessThan(frames.size() - 1);
            assertThat(frames.getLast().type()).isEqualTo("JobCompleted");
        }
        assertThat(attempts.get()).isEqualTo(2);
    }

    @Test
    void aStreamResumedWithLastEventIdMissesNothingAndRepeatsNothing() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("live-resume"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/resume"));
        String queue = unique("resume");
        String path = "/api/v1/events?queue=" + queue + "&events=JobCreated";
        Map<String, String> auth = Map.of("Authorization", "Bearer " + tenant.apiKey());

        // given: a client that saw the first job created, then lost its connection
        String lastEventId;
        String first;
        try (SseStream stream = SseStream.open(url(path), auth)) {
            first = enqueue(tenant, endpoint, queue, null);
            SseStream.Frame created = stream.until("JobCreated", WAIT).getLast();
            assertThat(created.body().get("job_id").asString()).isEqualTo(first);
            lastEventId = created.id();
        }
        // two more jobs made while it was away
        String second = enqueue(tenant, endpoint, queue, null);
        String third = enqueue(tenant, endpoint, queue, null);
        awaitStatus(tenant, third, "completed");

        // when: it reconnects with the id it last saw
        Map<String, String> resume = Map.of("Authorization", "Bearer " + tenant.apiKey(), "Last-Event-ID", lastEventId);
        try (SseStream stream = SseStream.open(url(path), resume)) {
            // then: exactly the jobs it missed, and only the type it asked for
            Set<String> created = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                SseStream.Frame frame = stream.until("JobCreated", WAIT).getLast();
                created.add(frame.body().get("job_id").asString());
            }
            assertThat(created).containsExactlyInAnyOrder(second, third);
            assertThat(stream.next(Duration.ofSeconds(1))).as("nothing more, and the first job not again").isNull();
        }
    }

    @Test
    void aStreamCutInTheMiddleOfOneStatementsChangesResumesWithTheNextOfThem() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("live-set"));
        String queue = unique("set");
        String path = "/api/v1/events?queue=" + queue + "&events=JobCreated";
        Map<String, String> auth = Map.of("Authorization", "Bearer " + tenant.apiKey());

        // given: three jobs enqueued in one bulk request (one statement: one change set, one record)
        List<String> jobs = new ArrayList<>();
        String lastEventId;
        try (SseStream stream = SseStream.open(url(path), auth)) {
            SluiceClient.Answer bulk = client.post(tenant.apiKey(), "/api/v1/jobs/bulk", "{\"queue_name\":\"" + queue
                    + "\",\"jobs\":[{\"payload\":{}},{\"payload\":{}},{\"payload\":{}}]}");
            assertThat(bulk.status()).isEqualTo(200);
            bulk.body().get("succeeded").forEach(job -> jobs.add(job.get("job_id").asString()));
            List<SseStream.Frame> created = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                created.add(stream.until("JobCreated", WAIT).getLast());
            }
            assertThat(created).extracting(frame -> frame.body().get("job_id").asString())
                    .containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(created).extracting(SseStream.Frame::id).as("each change at a position of its own")
                    .doesNotHaveDuplicates();
            // the client saw only the first of them before its connection dropped
            lastEventId = created.getFirst().id();
            jobs.remove(created.getFirst().body().get("job_id").asString());
        }

        // when: it reconnects with that id
        Map<String, String> resume = Map.of("Authorization", "Bearer " + tenant.apiKey(), "Last-Event-ID", lastEventId);
        try (SseStream stream = SseStream.open(url(path), resume)) {
            // then: the other two changes of the same record, and nothing else
            Set<String> created = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                created.add(stream.until("JobCreated", WAIT).getLast().body().get("job_id").asString());
            }
            assertThat(created).containsExactlyInAnyOrderElementsOf(jobs);
            assertThat(stream.next(Duration.ofSeconds(1))).as("the first job not again").isNull();
        }
    }

    @Test
    void aWorkersRegistrationHeartbeatAndDeregistrationArePushedToItsQueuesStreams() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("live-workers"));
        String queue = unique("workers");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + tenant.apiKey());

        try (SseStream stream = SseStream.open(url("/api/v1/events?queue=" + queue), auth);
             SseStream elsewhere = SseStream.open(url("/api/v1/events?queue=" + queue + "-other"), auth)) {
            // when: a worker of the queue registers, beats with two jobs in hand, and leaves
            String worker = client.post(tenant.apiKey(), "/api/v1/workers/register",
                    "{\"queue_name\":\"" + queue + "\",\"hostname\":\"render-box\"}").body().get("id").asString();
            client.post(tenant.apiKey(), "/api/v1/workers/" + worker + "/heartbeat",
                    "{\"current_jobs\":2,\"status\":\"degraded\"}");
            client.post(tenant.apiKey(), "/api/v1/workers/" + worker + "/deregister", "");

            // then: the queue's stream hears each, in order
            List<SseStream.Frame> frames = stream.until("WorkerDeregistered", WAIT);
            assertThat(frames).extracting(SseStream.Frame::type, frame -> text(frame.body(), "status"))
                    .containsExactly(tuple("WorkerRegistered", "healthy"), tuple("WorkerHeartbeat", "degraded"),
                            tuple("WorkerDeregistered", "offline"));
            assertThat(frames).allSatisfy(frame -> {
                assertThat(frame.id()).isNotBlank();
                assertThat(text(frame.body(), "worker_id")).isEqualTo(worker);
                assertThat(text(frame.body(), "queue_name")).isEqualTo(queue);
            });
            assertThat(text(frames.getFirst().body(), "hostname")).isEqualTo("render-box");
            assertThat(frames.get(1).body().get("current_jobs").asInt()).isEqualTo(2);
            // and a stream of another queue hears nothing of it
            assertThat(elsewhere.next(Duration.ofSeconds(1))).isNull();
        }
    }

    @Test
    void aQueueStreamSendsTheQueuesCountsAsTheyChange() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("live-queue"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/counts"));
        String queue = unique("counts");
        try (SseStream stream = SseStream.open(url("/api/v1/events/queues/" + queue + "?events=QueueStats&api_key="
                + tenant.apiKey()), Map.of())) {
            for (int i = 0; i < 3; i++) {
                enqueue(tenant, endpoint, queue, null);
            }
            JsonNode stats = null;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while ((stats == null || stats.get("completed").asLong() < 3) && System.nanoTime() < deadline) {
                stats = stream.until("QueueStats", WAIT).getLast().body();
            }
            assertThat(stats.get("queue_name").asString()).isEqualTo(queue);
            assertThat(stats.get("completed").asLong()).isEqualTo(3);
            assertThat(stats.get("pending").asLong()).isZero();
        }
    }

    @Test
    void streamsRefuseWhatTheyShouldWithAClearError() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("live-refuse"));
        SluiceClient.Tenant other = client.newOrganization(unique("live-other"));
        SluiceClient.Receiver endpoint = client.newEndpoint(other, receiver.url("/other"));
        String othersJob = enqueue(other, endpoint, "theirs", null);

        try (SseStream anonymous = SseStream.open(url("/api/v1/events"), Map.of())) {
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.error().get("code").asString()).isEqualTo("AUTHENTICATION_FAILED");
        }
        try (SseStream notTheirs = SseStream.open(url("/api/v1/events/jobs/" + othersJob + "?api_key="
                + tenant.apiKey()), Map.of())) {
            assertThat(notTheirs.status()).isEqualTo(404);
        }
        try (SseStream badId = SseStream.open(url("/api/v1/events?job_id=nope&api_key=" + tenant.apiKey()), Map.of())) {
            assertThat(badId.status()).isEqualTo(400);
            assertThat(badId.error().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        }
        assertThat(client.get(null, "/api/v1/jobs?api_key=" + tenant.apiKey()).status())
                .as("query-string keys only on the realtime routes").isEqualTo(401);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private String enqueue(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, String queue, String scheduledAt) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue
                + "\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{}"
                + (scheduledAt == null ? "" : ",\"scheduled_at\":\"" + scheduledAt + "\"") + "}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }
}
