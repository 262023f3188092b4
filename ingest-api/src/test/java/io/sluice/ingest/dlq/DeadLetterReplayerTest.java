package io.sluice.ingest.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.kafka.DeadLetter;
import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.kafka.Topics;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.store.DeadLetterStore;
import io.sluice.store.JobDefaults;
import io.sluice.store.JobStore;
import io.sluice.store.NewJob;
import io.sluice.store.ProjectionStore;
import io.sluice.testkit.RealServers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * DeadLetterReplayer against a real broker and real PostgreSQL: each test writes dead letters
 * to a DLQ topic of its own, for jobs it dead-lettered through the projector.
 */
class DeadLetterReplayerTest {

    private final TestDatabase db = TestDatabase.get();
    private final String bootstrap = RealServers.get().bootstrapServers();
    private final Clock clock = Clock.systemUTC();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final ProjectionStore projection = new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final Topics topics = new Topics("replay-" + UUID.randomUUID(), 3, 3, (short) 1, List.of(),
            Duration.ofDays(1));
    private final UUID org = db.newOrganization();
    private final UUID endpoint = UUID.randomUUID();
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    private final DeadLetterReplayer replayer;

    DeadLetterReplayerTest() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topics.deadLetters(), 3, (short) 1))).all().get();
        }
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(bootstrap));
        replayer = new DeadLetterReplayer(kafka, topics, new DeadLetterStore(db.jdbc, db.tx, clock),
                mock(OutboxRelay.class), new ReplayProperties(Duration.ofSeconds(30), 2, Duration.ofMinutes(5)),
                clock);
    }

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void replayResendsTheStillDeadLetteredJobsOfTheOrganizationOnce() throws Exception {
        // given: three dead letters of ours (one job since completed), one of another
        // organization, one record that is not a dead letter
        Instant deadAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UUID first = deadLetteredJob(org, "emails");
        UUID second = deadLetteredJob(org, "emails");
        UUID completed = pendingJob(org, "emails");
        complete(completed);
        UUID other = db.newOrganization();
        UUID theirs = deadLetteredJob(other, "emails");
        for (UUID job : List.of(first, second, completed)) {
            publish(job, org, endpoint, "emails", deadAt);
        }
        publish(theirs, other, endpoint, "emails", deadAt);
        producer.send(new ProducerRecord<>(topics.deadLetters(), "junk", "not a dead letter".getBytes(StandardCharsets.UTF_8)))
                .get();

        // when
        DeadLetterReplayer.Result firstRun = replayer.replay(new ReplayScope(org, null, null, null, null), 1_000);
        DeadLetterReplayer.Result secondRun = replayer.replay(new ReplayScope(org, null, null, null, null), 1_000);

        // then
        assertThat(firstRun).isEqualTo(new DeadLetterReplayer.Result(5, 3, 2));
        assertThat(state(first)).isEqualTo("pending");
        assertThat(state(second)).isEqualTo("pending");
        assertThat(state(completed)).isEqualTo("completed");
        assertThat(db.jdbc.queryForObject("SELECT state FROM jobs WHERE id = ?", String.class, theirs))
                .isEqualTo("deadletter");
        assertThat(secondRun).isEqualTo(new DeadLetterReplayer.Result(5, 3, 0));
        assertThat(outboxRows(first)).isEqualTo(1);
        assertThat(outboxRows(second)).isEqualTo(1);
    }

    @Test
    void replayKeepsToTheQueueTheEndpointAndTheTimeWindow() throws Exception {
        // given
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UUID otherEndpoint = UUID.randomUUID();
        UUID inScope = deadLetteredJob(org, "emails");
        UUID otherQueue = deadLetteredJob(org, "reports");
        UUID viaOtherEndpoint = deadLetteredJob(org, "emails");
        UUID tooEarly = deadLetteredJob(org, "emails");
        UUID atTheEnd = deadLetteredJob(org, "emails");
        UUID longAgo = deadLetteredJob(org, "emails");
        publish(longAgo, org, endpoint, "emails", now.minus(Duration.ofHours(2)));
        publish(inScope, org, endpoint, "emails", now.minusSeconds(30));
        publish(otherQueue, org, endpoint, "reports", now.minusSeconds(30));
        publish(viaOtherEndpoint, org, otherEndpoint, "emails", now.minusSeconds(30));
        publish(tooEarly, org, endpoint, "emails", now.minusSeconds(61));
        publish(atTheEnd, org, endpoint, "emails", now);

        // when
        DeadLetterReplayer.Result result = replayer.replay(
                new ReplayScope(org, "emails", endpoint, now.minusSeconds(60), now), 1_000);

        // then: the record dead two hours ago (written first) lies before the seek and is not even read
        assertThat(result).isEqualTo(new DeadLetterReplayer.Result(5, 1, 1));
        assertThat(state(inScope)).isEqualTo("pending");
        for (UUID job : List.of(otherQueue, viaOtherEndpoint, tooEarly, atTheEnd, longAgo)) {
            assertThat(state(job)).isEqualTo("deadletter");
        }
    }

    @Test
    void aLimitedReplayLeavesTheRestForTheNextOne() throws Exception {
        // given
        Instant deadAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<UUID> dead = List.of(deadLetteredJob(org, "emails"), deadLetteredJob(org, "emails"),
                deadLetteredJob(org, "emails"));
        for (UUID job : dead) {
            publish(job, org, endpoint, "emails", deadAt);
        }

        // when
        int firstRun = replayer.replay(new ReplayScope(org, null, null, null, null), 2).replayed();
        int secondRun = replayer.replay(new ReplayScope(org, null, null, null, null), 2).replayed();

        // then
        assertThat(firstRun).isEqualTo(2);
        assertThat(secondRun).isEqualTo(1);
        assertThat(dead).allSatisfy(job -> assertThat(state(job)).isEqualTo("pending"));
    }

    private void publish(UUID job, UUID organizationId, UUID endpointId, String queue, Instant deadAt)
            throws Exception {
        DeliveryMessage delivery = DeliveryMessage.first(job, organizationId, endpointId, queue,
                "https://receiver.test/hooks", io.sluice.core.webhook.SigningKeys.of("whsec_test"), java.util.Map.of(), 5_000, io.sluice.core.delivery.EndpointLimits.NONE, 1, java.util.List.of(), 3, "{}".getBytes(StandardCharsets.UTF_8));
        DeadLetter dead = new DeadLetter(delivery, "gave up after 1 attempt", deadAt);
        // The worker's producer stamps the record just after it took the dead-at time.
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.deadLetters(), null,
                deadAt.toEpochMilli(), delivery.key(), delivery.payload());
        dead.headers().forEach((name, value) -> record.headers().add(name, value));
        producer.send(record).get();
    }

    private UUID pendingJob(UUID organizationId, String queue) {
        NewJob job = new NewJob(ids.next(), organizationId, queue, "{}", endpoint, 0, 0, null, null, null, null, null);
        jobs.insertBatch(List.of(job), Duration.ofHours(1));
        db.jdbc.update("DELETE FROM outbox WHERE job_id = ?", job.id()); // published long ago
        return job.id();
    }

    private UUID deadLetteredJob(UUID organizationId, String queue) {
        UUID job = pendingJob(organizationId, queue);
        projection.recordAttempts(List.of(attempt(organizationId, job, JobState.DEADLETTER)));
        return job;
    }

    private void complete(UUID job) {
        projection.recordAttempts(List.of(attempt(org, job, JobState.COMPLETED)));
    }

    private AttemptRecorded attempt(UUID organizationId, UUID job, JobState after) {
        boolean dead = after == JobState.DEADLETTER;
        return new AttemptRecorded(ids.next(), job, organizationId, endpoint, clock.instant(), 12,
                dead ? 500 : 200, "", dead ? "http_status" : null, dead ? "HTTP 500" : null, after, "worker-1", 1,
                null, dead ? "gave up after 1 attempt" : null, false);
    }

    private String state(UUID job) {
        return jobs.get(org, job).orElseThrow().state();
    }

    private long outboxRows(UUID job) {
        Long count = db.jdbc.queryForObject("SELECT count(*) FROM outbox WHERE job_id = ?", Long.class, job);
        return count == null ? 0 : count;
    }
}
