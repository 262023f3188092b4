package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.workflow.DependencyMode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** System events are written with the change they report, once, and only to enabled subscribers. */
class SystemEventStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final IngestStore ingest = new IngestStore(db.jdbc, db.tx, jobs, new MessageStore(db.jdbc),
            db.systemEvents(clock), clock);
    private final ProjectionStore projection = new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final EndpointStore endpoints = new EndpointStore(db.jdbc);
    private final LeaseStore leases = new LeaseStore(db.jdbc, db.tx, clock, ids, db.systemEvents(clock),
            RetrySchedule.parse("1s", "1s"));
    private final UUID org = db.newOrganization(clock);

    @Test
    void acceptedJobsRaiseJobCreatedForEachEnabledSubscriberOnly() {
        // given
        Endpoint subscribed = outgoingWebhook(List.of("job.created"));
        Endpoint otherType = outgoingWebhook(List.of("job.completed"));
        Endpoint disabled = outgoingWebhook(List.of("job.created"));
        endpoints.update(disabled.disabledByOwner(clock.instant()));
        Endpoint receiver = db.newEndpoint(org, clock);

        // when
        UUID job = write(receiver);

        // then
        assertThat(eventDeliveries("job.created")).containsExactly(subscribed.id());
        UUID delivery = db.jdbc.queryForObject("SELECT id FROM jobs WHERE endpoint_id = ? AND organization_id = ?",
                UUID.class, subscribed.id(), org);
        assertThat(jobs.get(org, delivery).orElseThrow().payload())
                .contains("\"event\":\"job.created\"", "\"job_id\":\"" + job + "\"", "\"timestamp\"");
        assertThat(eventDeliveries("job.created")).doesNotContain(otherType.id(), disabled.id());
    }

    @Test
    void jobCreatedSaysScheduledForAJobThatWaitsForItsDependencies() {
        // given
        Endpoint subscribed = outgoingWebhook(List.of("job.created"));
        UUID receiver = db.newEndpoint(org, clock).id();
        WorkflowStore workflows = new WorkflowStore(db.jdbc, db.tx, jobs, new DeadLetterStore(db.jdbc, db.tx, clock),
                db.systemEvents(clock), clock);
        NewJob first = StoreTestSupport.job(ids.next(), org, "etl", receiver, null);
        NewJob then = StoreTestSupport.job(ids.next(), org, "etl", receiver, null);

        // when
        workflows.create(new NewWorkflow(ids.next(), org, "etl", null, null, List.of(
                new NewWorkflow.Member("first", first, List.of(), DependencyMode.ALL),
                new NewWorkflow.Member("then", then, List.of("first"), DependencyMode.ALL))));

        // then
        List<String> created = db.jdbc.queryForList("SELECT m.payload::text FROM jobs j JOIN messages m"
                + " ON m.id = j.message_id WHERE j.endpoint_id = ? AND m.event_type = 'job.created'", String.class,
                subscribed.id());
        assertThat(created).anySatisfy(event -> assertThat(event)
                .contains("\"job_id\":\"" + first.id() + "\"", "\"state\":\"pending\""));
        assertThat(created).anySatisfy(event -> assertThat(event)
                .contains("\"job_id\":\"" + then.id() + "\"", "\"state\":\"scheduled\""));
    }

    @Test
    void aReplayedProjectionBatchRaisesNoSecondEvent() {
        // given
        Endpoint subscribed = outgoingWebhook(List.of("job.completed", "job.created"));
        UUID job = write(db.newEndpoint(org, clock));
        AttemptRecorded completed = new AttemptRecorded(ids.next(), job, org, null, clock.instant(), 12, 200, "ok",
                null, null, JobState.COMPLETED, "worker-1", 1, null, null, false);

        // when the batch is projected twice (a crash before the offset commit)
        projection.recordAttempts(List.of(completed));
        projection.recordAttempts(List.of(completed));

        // then
        assertThat(eventDeliveries("job.completed")).containsExactly(subscribed.id());
    }

    @Test
    void aJobHandedToAWorkerRaisesJobStartedWithTheWorker() {
        // given
        Endpoint subscribed = outgoingWebhook(List.of("job.started"));
        Endpoint otherType = outgoingWebhook(List.of("job.completed"));
        UUID job = ids.next();
        jobs.insertBatch(List.of(StoreTestSupport.job(job, org, "reports", null, null)), Duration.ofHours(1));
        UUID worker = UUID.randomUUID();

        // when
        leases.lease(org, "reports", List.of(job), worker, Duration.ofMinutes(1));

        // then
        assertThat(eventDeliveries("job.started")).containsExactly(subscribed.id());
        UUID delivery = db.jdbc.queryForObject("SELECT id FROM jobs WHERE endpoint_id = ? AND organization_id = ?",
                UUID.class, subscribed.id(), org);
        assertThat(jobs.get(org, delivery).orElseThrow().payload()).contains("\"event\":\"job.started\"",
                "\"job_id\":\"" + job + "\"", "\"state\":\"processing\"", "\"worker_id\":\"" + worker + "\"");
        assertThat(eventDeliveries("job.started")).doesNotContain(otherType.id());
    }

    @Test
    void anOrganizationWithoutOutgoingWebhooksGetsNoSystemEventRows() {
        // when
        write(db.newEndpoint(org, clock));
        UUID job = ids.next();
        jobs.insertBatch(List.of(StoreTestSupport.job(job, org, "reports", null, null)), Duration.ofHours(1));
        leases.lease(org, "reports", List.of(job), UUID.randomUUID(), Duration.ofMinutes(1));

        // then
        assertThat(db.count("SELECT count(*) FROM messages WHERE organization_id = ?", org)).isZero();
    }

    private UUID write(Endpoint receiver) {
        UUID job = ids.next();
        ingest.write(List.of(StoreTestSupport.job(job, org, "orders", receiver.id(), null)), List.of(),
                Duration.ofHours(1));
        return job;
    }

    private Endpoint outgoingWebhook(List<String> events) {
        Endpoint webhook = Endpoint.forSystemEvents(UUID.randomUUID(), org, "https://ops.test/hooks", "ops",
                "whsec_" + UUID.randomUUID().toString().replace("-", ""), 5_000, events, clock.instant());
        endpoints.create(webhook);
        return webhook;
    }

    /** The outgoing webhooks that were given a delivery of that event type. */
    private List<UUID> eventDeliveries(String eventType) {
        return db.jdbc.queryForList("""
                SELECT j.endpoint_id FROM jobs j JOIN messages m ON m.id = j.message_id
                WHERE j.organization_id = ? AND m.event_type = ?""", UUID.class, org, eventType);
    }
}
