package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.kafka.DeadLetter;
import io.sluice.testkit.RealServers;
import io.sluice.testkit.TestReceiver;
import io.sluice.testkit.TestReceiver.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Failed deliveries are tried again on the test schedule (1 s, 2 s, 3 s), then dead-lettered. */
class RetryIT extends SluiceIntegrationTest {

    /** The test schedule less its 10 % jitter: the least each retry may wait. */
    private static final Duration FIRST_WAIT = Duration.ofMillis(900);
    private static final Duration SECOND_WAIT = Duration.ofMillis(1800);

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aJobRefusedTwiceIsCompletedByItsThirdAttemptSpacedByTheSchedule() {
        // given: a receiver that answers 503, 503, then 200
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        receiver.answering(d -> calls.computeIfAbsent(d.webhookId(), k -> new AtomicInteger()).incrementAndGet() <= 2 ? 503 : 200);
        Fixture fixture = fixture("flaky-thrice");

        // when
        String id = fixture.enqueue("{\"n\":1}", Optional.empty());

        // then
        JsonNode job = awaitStatus(fixture.tenant(), id, "completed");
        assertThat(job.get("attempts")).hasSize(3);
        assertThat(job.get("attempts")).extracting(a -> a.get("status_code").asInt()).containsExactly(503, 503, 200);
        assertThat(job.get("retry_count").asInt()).isEqualTo(2);
        assertThat(job.get("next_attempt_at").isNull()).isTrue();
        List<TestReceiver.Delivery> seen = receiver.deliveriesOf(id);
        assertThat(seen).hasSize(3);
        assertThat(Duration.between(seen.get(0).receivedAt(), seen.get(1).receivedAt())).isGreaterThanOrEqualTo(FIRST_WAIT);
        assertThat(Duration.between(seen.get(1).receivedAt(), seen.get(2).receivedAt())).isGreaterThanOrEqualTo(SECOND_WAIT);
        assertThat(seen).extracting(TestReceiver.Delivery::webhookId).containsOnly(id);
    }

    @Test
    void anEndpointsOwnScheduleReplacesTheDefault() {
        // given: an endpoint whose retries wait 3 s (the default schedule's first is 1 s)
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        receiver.answering(d -> calls.computeIfAbsent(d.webhookId(), k -> new AtomicInteger()).incrementAndGet() == 1 ? 503 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("own-schedule"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/own"), "\"retry_schedule\":[\"3s\"]");
        Fixture fixture = new Fixture(client, tenant, endpoint, "own-schedule");

        // when
        String id = fixture.enqueue("{\"n\":5}", Optional.empty());

        // then
        awaitStatus(fixture.tenant(), id, "completed");
        List<TestReceiver.Delivery> seen = receiver.deliveriesOf(id);
        assertThat(Duration.between(seen.get(0).receivedAt(), seen.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(2700));
        assertThat(client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id()).body().get("retry_schedule")
                .get(0).asString()).isEqualTo("3s");
    }

    @Test
    void aScheduleWithADelayThatIsNoTierIsRefused() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("bad-schedule"));

        SluiceClient.Answer refused = client.post(tenant.apiKey(), "/api/v1/endpoints",
                "{\"url\":\"" + receiver.url("/x") + "\",\"retry_schedule\":[\"1s\",\"7s\"]}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(refused.body().get("message").asString()).contains("7s").contains("the tiers are 1s,2s,3s");
    }

    @Test
    void aJobWaitingForItsNextAttemptIsPendingAndSaysWhenItIsDue() {
        // given: a receiver that is down
        receiver.answering(d -> 503);
        Fixture fixture = fixture("waiting");

        // when
        String id = fixture.enqueue("{\"n\":2}", Optional.of(3));

        // then: between the first and the second attempt (at least 0.9 s) the job is pending
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode job = fixture.job(id);
            return job.get("attempts").size() == 1 && "pending".equals(job.get("status").asString())
                    && !job.get("next_attempt_at").isNull();
        });
        JsonNode job = fixture.job(id);
        java.time.Instant started = java.time.Instant.parse(job.get("attempts").get(0).get("started_at").asString());
        java.time.Instant next = java.time.Instant.parse(job.get("next_attempt_at").asString());
        assertThat(Duration.between(started, next)).isBetween(FIRST_WAIT, Duration.ofMillis(1200));
        assertThat(job.get("last_error").asString()).contains("503");
    }

    @Test
    void aJobThatAlwaysFailsIsDeadLetteredAfterMaxRetriesAndKeptOnTheDeadLetterTopic() {
        // given
        receiver.answering(d -> 500);
        Fixture fixture = fixture("always-500");

        // when: max_retries 2, so three attempts in all
        String id = fixture.enqueue("{\"n\":3}", Optional.of(2));

        // then
        JsonNode job = awaitStatus(fixture.tenant(), id, "deadletter");
        assertThat(job.get("attempts")).hasSize(3);
        assertThat(job.get("last_error").asString()).contains("gave up after 3 attempts");
        assertThat(receiver.deliveriesOf(id)).hasSize(3);
        DeadLetter dead = deadLetterOf(id);
        assertThat(dead.delivery().history()).hasSize(3);
        assertThat(dead.delivery().history()).extracting(a -> a.statusCode()).containsExactly(500, 500, 500);
        assertThat(dead.reason()).contains("gave up after 3 attempts");
        assertThat(new String(dead.delivery().payload())).isEqualTo("{\"n\":3}");
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheSchedule() {
        // given: 429 with Retry-After: 2 once, then 200
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        receiver.replying(d -> calls.computeIfAbsent(d.webhookId(), k -> new AtomicInteger()).incrementAndGet() == 1
                ? new Reply(429, Map.of("Retry-After", "2")) : Reply.of(200));
        Fixture fixture = fixture("retry-after");

        // when
        String id = fixture.enqueue("{\"n\":4}", Optional.empty());

        // then: the second attempt came at least 2 s after the first, not after the schedule's 1 s
        awaitStatus(fixture.tenant(), id, "completed");
        List<TestReceiver.Delivery> seen = receiver.deliveriesOf(id);
        assertThat(seen).hasSize(2);
        assertThat(Duration.between(seen.get(0).receivedAt(), seen.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aFlakyReceiverGetsEveryOneOfTwoThousandJobsAndDuplicatesAreCounted() {
        // given: a receiver that refuses 30 % of requests with 503 (seeded)
        Random random = new Random(42);
        Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        receiver.answering(d -> {
            boolean refuse;
            synchronized (random) {
                refuse = random.nextDouble() < 0.30;
            }
            if (refuse) {
                refused.incrementAndGet();
                return 503;
            }
            accepted.computeIfAbsent(d.webhookId(), k -> new AtomicInteger()).incrementAndGet();
            return 200;
        });
        Fixture fixture = fixture("flaky-2000");
        Set<String> ids = ConcurrentHashMap.newKeySet();

        // when: ten retries each, so that giving up (0.3^11) is not a realistic outcome
        String items = String.join(",", java.util.Collections.nCopies(100, "{\"payload\":{\"flaky\":true}}"));
        for (int batch = 0; batch < 20; batch++) {
            SluiceClient.Answer answer = client.post(fixture.tenant().apiKey(), "/api/v1/jobs/bulk",
                    "{\"queue_name\":\"flaky\",\"default_max_retries\":10,\"endpoint_id\":\""
                            + fixture.endpoint().id() + "\",\"jobs\":[" + items + "]}");
            assertThat(answer.status()).isEqualTo(200);
            answer.body().get("succeeded").forEach(ok -> ids.add(ok.get("job_id").asString()));
        }
        assertThat(ids).hasSize(2000);

        // then: every job was accepted by the receiver and is completed; none is lost
        await().atMost(Duration.ofMinutes(2)).until(() -> accepted.keySet().containsAll(ids));
        List<String> unfinished = new ArrayList<>(ids);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
            unfinished.removeIf(id -> "completed".equals(fixture.job(id).get("status").asString()));
            return unfinished.isEmpty();
        });
        assertThat(accepted.keySet()).isEqualTo(ids);
        int duplicates = accepted.values().stream().mapToInt(n -> n.get() - 1).sum();
        System.out.printf("flaky receiver: 2000 jobs, %d refused with 503 and retried, %d duplicate deliveries%n",
                refused.get(), duplicates);
        assertThat(refused.get()).as("the receiver did refuse some").isGreaterThan(300);
    }

    private record Fixture(SluiceClient client, SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, String queue) {
        String enqueue(String payload, Optional<Integer> maxRetries) {
            String retries = maxRetries.map(n -> ",\"max_retries\":" + n).orElse("");
            SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue
                    + "\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":" + payload + retries + "}");
            assertThat(created.status()).isEqualTo(201);
            return created.body().get("id").asString();
        }

        JsonNode job(String id) {
            return client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body();
        }
    }

    private Fixture fixture(String queue) {
        SluiceClient.Tenant tenant = client.newOrganization(unique(queue));
        return new Fixture(client, tenant, client.newEndpoint(tenant, receiver.url("/" + queue)), queue);
    }

    /** Reads the dead-letter topic from the start until the job's record shows up. */
    static DeadLetter deadLetterOf(String jobId) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.get().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor("sluice.dlq").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (jobId.equals(record.key())) {
                        return DeadLetter.read(name -> {
                            Header h = record.headers().lastHeader(name);
                            return h == null ? null : h.value();
                        }, record.value());
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for job " + jobId + " on sluice.dlq");
    }
}
