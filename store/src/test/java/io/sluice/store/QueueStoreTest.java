package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.job.Uuid7;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queues: created by their first job or configuration; their settings are defaults for later jobs. */
class QueueStoreTest {

    private static final Duration TTL = Duration.ofHours(1);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(9));
    private final QueueStore queues = new QueueStore(db.jdbc, db.tx, clock);
    private final OutboxStore outbox = new OutboxStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final UUID org = db.newOrganization(clock);

    @BeforeEach
    void drainTheOutbox() {
        while (outbox.backlog() > 0) {
            outbox.claimAndPublish(1_000, (batch, work) -> { });
        }
    }

    @Test
    void statsCountWaitingAndRunningJobsAndTheLastDaysOutcomes() {
        // given: in "reports", two waiting jobs (the oldest 90 s old), one running, one completed in
        // 2 s today, one completed two days ago, one dead-lettered today; another queue's job
        UUID oldest = ids.next();
        jobs.insertBatch(List.of(job(oldest, org, "reports", null, null)), TTL);
        clock.advance(Duration.ofSeconds(90));
        UUID waiting = ids.next();
        UUID running = ids.next();
        UUID completed = ids.next();
        UUID completedLongAgo = ids.next();
        UUID dead = ids.next();
        jobs.insertBatch(List.of(job(waiting, org, "reports", null, null), job(running, org, "reports", null, null),
                job(completed, org, "reports", null, null), job(completedLongAgo, org, "reports", null, null),
                job(dead, org, "reports", null, null), job(ids.next(), org, "emails", null, null)), TTL);
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp twoDaysAgo = Timestamp.from(clock.instant().minus(Duration.ofDays(2)));
        db.jdbc.update("UPDATE jobs SET state = 'processing' WHERE id = ?", running);
        db.jdbc.update("UPDATE jobs SET state = 'completed', started_at = ?, completed_at = ? WHERE id = ?",
                Timestamp.from(clock.instant().minusSeconds(2)), now, completed);
        db.jdbc.update("UPDATE jobs SET state = 'completed', started_at = ?, completed_at = ? WHERE id = ?",
                twoDaysAgo, twoDaysAgo, completedLongAgo);
        db.jdbc.update("UPDATE jobs SET state = 'deadletter', updated_at = ? WHERE id = ?", now, dead);

        // when
        QueueStats stats = queues.stats(org, "reports");

        // then
        assertThat(stats).isEqualTo(new QueueStats(2, 1, 1, 1, 2000.0, 90));
        assertThat(queues.stats(org, "nothing-here")).isEqualTo(new QueueStats(0, 0, 0, 0, 0.0, 0));
    }

    @Test
    void theFirstJobSentToAQueueCreatesItWithDefaultSettings() {
        // when
        jobs.insertBatch(List.of(job(ids.next(), org, "emails", null, null), job(ids.next(), org, "emails", null, null),
                job(ids.next(), org, "reports", null, null)), TTL);

        // then
        assertThat(queues.list(org, null, 100, 0)).extracting(Queue::name).containsExactly("emails", "reports");
        Queue emails = queues.get(org, "emails").orElseThrow();
        assertThat(emails.maxRetries()).isNull();
        assertThat(emails.defaultTimeout()).isNull();
        assertThat(emails.enabled()).isTrue();
        assertThat(emails.settings()).isEqualTo("{}");
        assertThat(emails.retrySchedule()).isEmpty();
        assertThat(emails.createdAt()).isEqualTo(clock.instant());
        assertThat(queues.get(db.newOrganization(clock), "emails")).isEmpty();
    }

    @Test
    void configureChangesOnlyWhatItIsAskedAndCreatesAnUnknownQueue() {
        // given
        Queue created = queues.configure(org, "billing", q -> withMaxRetries(q, 2));
        clock.advance(Duration.ofMinutes(1));

        // when
        Queue changed = queues.configure(org, "billing", q -> new Queue(q.id(), q.organizationId(), q.name(),
                q.maxRetries(), 120, q.rateLimit(), q.enabled(), "{\"team\": \"payments\"}",
                List.of(Duration.ofSeconds(5), Duration.ofMinutes(5)), q.createdAt(), q.updatedAt()));

        // then
        assertThat(created.maxRetries()).isEqualTo(2);
        Queue stored = queues.get(org, "billing").orElseThrow();
        assertThat(stored).isEqualTo(changed);
        assertThat(stored.id()).isEqualTo(created.id());
        assertThat(stored.maxRetries()).isEqualTo(2);
        assertThat(stored.defaultTimeout()).isEqualTo(120);
        assertThat(stored.settings()).isEqualTo("{\"team\": \"payments\"}");
        assertThat(stored.retrySchedule()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5));
        assertThat(stored.createdAt()).isEqualTo(created.createdAt());
        assertThat(stored.updatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aJobLeavingMaxRetriesAndTimeoutOpenTakesItsQueuesElseTheDefault() {
        // given
        queues.configure(org, "billing", q -> new Queue(q.id(), q.organizationId(), q.name(), 2, 45, null, true,
                q.settings(), List.of(), q.createdAt(), q.updatedAt()));
        NewJob open = openJob("billing");
        NewJob explicit = new NewJob(ids.next(), org, "billing", "{}", null, 0, 5, 10, null, null, null, null);
        NewJob elsewhere = openJob("reports");

        // when
        jobs.insertBatch(List.of(open, explicit, elsewhere), TTL);

        // then
        assertThat(jobs.get(org, open.id()).orElseThrow().maxRetries()).isEqualTo(2);
        assertThat(jobs.get(org, open.id()).orElseThrow().timeoutSeconds()).isEqualTo(45);
        assertThat(jobs.get(org, explicit.id()).orElseThrow().maxRetries()).isEqualTo(5);
        assertThat(jobs.get(org, explicit.id()).orElseThrow().timeoutSeconds()).isEqualTo(10);
        assertThat(jobs.get(org, elsewhere.id()).orElseThrow().maxRetries()).isEqualTo(9);
        assertThat(jobs.get(org, elsewhere.id()).orElseThrow().timeoutSeconds()).isNull();
    }

    @Test
    void aDeliveryTakesItsEndpointsRetryScheduleElseItsQueuesAndItsJobsTimeoutElseItsEndpoints() {
        // given
        List<Duration> queueSchedule = List.of(Duration.ofSeconds(5));
        List<Duration> endpointSchedule = List.of(Duration.ofMinutes(5), Duration.ofMinutes(30));
        queues.configure(org, "billing", q -> new Queue(q.id(), q.organizationId(), q.name(), null, null, null, true,
                q.settings(), queueSchedule, q.createdAt(), q.updatedAt()));
        Endpoint plain = db.newEndpoint(org, clock);
        Endpoint scheduled = Endpoint.created(UUID.randomUUID(), org, "https://receiver.test/own", null, "whsec_x",
                7_500, EndpointLimits.NONE, endpointSchedule, Subscription.ALL, Map.of(),
                Endpoint.Ordering.NONE, clock.instant());
        new EndpointStore(db.jdbc).create(scheduled);
        NewJob toPlain = new NewJob(ids.next(), org, "billing", "{}", plain.id(), 0, 3, 20, null, null, null, null);
        NewJob toScheduled = job(ids.next(), org, "billing", scheduled.id(), null);
        NewJob otherQueue = job(ids.next(), org, "reports", plain.id(), null);
        jobs.insertBatch(List.of(toPlain, toScheduled, otherQueue), TTL);
        List<OutboxDelivery> published = new ArrayList<>();

        // when
        outbox.claimAndPublish(100, (batch, work) -> published.addAll(batch));

        // then
        assertThat(published).hasSize(3);
        OutboxDelivery first = published.get(0);
        assertThat(first.retrySchedule()).isEqualTo(queueSchedule);
        assertThat(first.timeoutMs()).isEqualTo(20_000);
        assertThat(published.get(1).retrySchedule()).isEqualTo(endpointSchedule);
        assertThat(published.get(1).timeoutMs()).isEqualTo(7_500);
        assertThat(published.get(2).retrySchedule()).isEmpty();
    }

    private NewJob openJob(String queue) {
        return new NewJob(ids.next(), org, queue, "{}", null, 0, null, null, null, null, null, null);
    }

    private static Queue withMaxRetries(Queue q, int maxRetries) {
        return new Queue(q.id(), q.organizationId(), q.name(), maxRetries, q.defaultTimeout(), q.rateLimit(),
                q.enabled(), q.settings(), q.retrySchedule(), q.createdAt(), q.updatedAt());
    }
}
