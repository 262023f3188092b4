package io.sluice.store;

import static io.sluice.store.StoreTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** JobStore.insertBatch: job rows, outbox rows and idempotency keys. */
class JobStoreInsertTest {

    private static final Duration TTL = Duration.ofHours(24);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));

    @Test
    void aJobScheduledADayAheadWaitsOutOfTheOutboxAndIsReleasedWhenItsTimeHasCome() {
        // given
        UUID org = db.newOrganization(clock);
        Instant tomorrow = clock.instant().plus(Duration.ofDays(1));
        NewJob later = new NewJob(ids.next(), org, "reports", "{}", null, 0, 3, null, null, null, null, null, tomorrow);
        jobs.insertBatch(List.of(later), TTL);
        assertThat(jobs.get(org, later.id()).orElseThrow().state()).isEqualTo("scheduled");

        // when / then: not a second early
        clock.advance(Duration.ofDays(1).minusSeconds(1));
        jobs.releaseDue(1000);
        assertThat(jobs.get(org, later.id()).orElseThrow().state()).isEqualTo("scheduled");
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", later.id())).isZero();
        assertThat(jobs.nextScheduledAt()).as("the earliest job still waiting").contains(tomorrow);

        clock.advance(Duration.ofSeconds(1));
        ReleasedJobs released = jobs.releaseDue(1000);
        assertThat(released.dueTimes()).containsExactly(tomorrow);
        assertThat(released.lateness()).containsExactly(Duration.ZERO);
        assertThat(jobs.get(org, later.id()).orElseThrow().state()).isEqualTo("pending");
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", later.id())).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM scheduled_jobs WHERE job_id = ?", later.id())).isZero();
    }

    @Test
    void releasedJobsGoToTheOutboxEarliestFirstAndThoseOfAFifoEndpointToItsLane() {
        // given: three jobs due at two times, enqueued latest first, one of them for a FIFO endpoint
        UUID org = db.newOrganization(clock);
        Endpoint lane = Endpoint.created(UUID.randomUUID(), org, "https://receiver.test/fifo", null,
                "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0", 5_000, EndpointLimits.NONE, List.of(), Subscription.ALL,
                Map.of(), Endpoint.Ordering.FIFO, clock.instant());
        new EndpointStore(db.jdbc).create(lane);
        Instant inAMinute = clock.instant().plus(Duration.ofMinutes(1));
        Instant inTwoMinutes = inAMinute.plus(Duration.ofMinutes(1));
        NewJob last = new NewJob(ids.next(), org, "reports", "{}", null, 0, 3, null, null, null, null, null, inTwoMinutes);
        NewJob laned = new NewJob(ids.next(), org, "emails", "{}", lane.id(), 0, 3, null, null, null, null, null, inAMinute);
        NewJob first = new NewJob(ids.next(), org, "reports", "{}", null, 0, 3, null, null, null, null, null, inAMinute);
        jobs.insertBatch(List.of(last, laned, first), TTL);

        // when
        clock.advance(Duration.ofMinutes(3));
        ReleasedJobs released = jobs.releaseDue(1000);

        // then
        assertThat(released.dueTimes()).contains(inAMinute, inAMinute, inTwoMinutes).isSorted();
        assertThat(db.jdbc.queryForList("SELECT job_id FROM outbox WHERE job_id = ANY(?::uuid[]) ORDER BY id",
                UUID.class, (Object) new UUID[] {last.id(), laned.id(), first.id()}))
                .as("earliest first").containsExactly(first.id(), last.id());
        assertThat(db.count("SELECT count(*) FROM fifo_queue WHERE job_id = ? AND endpoint_id = ?", laned.id(), lane.id()))
                .isEqualTo(1);
        assertThat(List.of(last, laned, first)).allSatisfy(job ->
                assertThat(jobs.get(org, job.id()).orElseThrow().state()).isEqualTo("pending"));
    }

    @Test
    void aBacklogSplitsIntoRangesThatEachReleaseTheirOwnJobsInOrder() {
        // given: 12 jobs due at three times, and one not yet due
        db.jdbc.update("DELETE FROM scheduled_jobs"); // other tests' jobs would be due too
        UUID org = db.newOrganization(clock);
        Instant start = clock.instant();
        List<NewJob> due = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Instant at = start.plusSeconds(10 + i / 4);
            due.add(new NewJob(ids.next(), org, "reports", "{}", null, 0, 3, null, null, null, null, null, at));
        }
        NewJob later = new NewJob(ids.next(), org, "reports", "{}", null, 0, 3, null, null, null, null, null,
                start.plusSeconds(60));
        jobs.insertBatch(Stream.concat(due.reversed().stream(), Stream.of(later)).toList(), TTL);
        clock.advance(Duration.ofSeconds(30));

        // when: ranges of 5, at most 3
        List<DueRange> ranges = jobs.splitDue(5, 3);

        // then: 5, 5, and the open-ended rest; released last first, each takes exactly its own
        assertThat(ranges).hasSize(3);
        assertThat(ranges.get(0).after()).isNull();
        assertThat(ranges.get(2).upTo()).isNull();
        List<UUID> byTime = due.stream()
                .sorted(Comparator.comparing(NewJob::scheduledAt).thenComparing(NewJob::id)).map(NewJob::id).toList();
        assertThat(jobs.releaseDue(ranges.get(2), 5).count()).as("the rest, up to the limit").isEqualTo(2);
        assertThat(jobs.releaseDue(ranges.get(1), 5).count()).isEqualTo(5);
        assertThat(jobs.releaseDue(ranges.get(0), 100).count()).as("no more than its own").isEqualTo(5);
        assertThat(db.jdbc.queryForList("SELECT job_id FROM outbox WHERE job_id = ANY(?::uuid[]) ORDER BY id", UUID.class,
                (Object) byTime.toArray(UUID[]::new)))
                .containsExactlyElementsOf(Stream.of(byTime.subList(10, 12), byTime.subList(5, 10), byTime.subList(0, 5))
                        .flatMap(List::stream).toList());
        assertThat(jobs.get(org, later.id()).orElseThrow().state()).isEqualTo("scheduled");
        assertThat(jobs.splitDue(5, 3)).as("nothing due: one range of everything").containsExactly(DueRange.ALL);
    }

    @Test
    void insertBatchWritesPendingJobsAndAnOutboxRowForDeliveriesAndWorkersJobsAlike() {
        // given
        UUID org = db.newOrganization(clock);
        Endpoint endpoint = db.newEndpoint(org, clock);
        NewJob delivered = new NewJob(ids.next(), org, "emails", "{\"to\": \"a@example.com\"}", endpoint.id(),
                5, 7, 30, null, "{\"kind\": \"welcome\"}", clock.instant().plus(Duration.ofDays(2)), null);
        NewJob pulled = job(ids.next(), org, "reports", null, null);

        // when
        List<InsertedJob> results = jobs.insertBatch(List.of(delivered, pulled), TTL);

        // then
        assertThat(results).containsExactly(new InsertedJob(delivered.id(), true), new InsertedJob(pulled.id(), true));
        JobRecord stored = jobs.get(org, delivered.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo("pending");
        assertThat(stored.queueName()).isEqualTo("emails");
        assertThat(stored.payload()).isEqualTo("{\"to\": \"a@example.com\"}");
        assertThat(stored.endpointId()).isEqualTo(endpoint.id());
        assertThat(stored.priority()).isEqualTo(5);
        assertThat(stored.maxRetries()).isEqualTo(7);
        assertThat(stored.attempts()).isZero();
        assertThat(stored.timeoutSeconds()).isEqualTo(30);
        assertThat(stored.tags()).isEqualTo("{\"kind\": \"welcome\"}");
        assertThat(stored.expiresAt()).isEqualTo(delivered.expiresAt());
        assertThat(stored.createdAt()).isEqualTo(clock.instant());
        assertThat(stored.updatedAt()).isEqualTo(clock.instant());
        assertThat(stored.completedAt()).isNull();
        assertThat(jobs.get(org, pulled.id()).orElseThrow().state()).isEqualTo("pending");
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", delivered.id())).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", pulled.id())).isEqualTo(1);
    }

    @Test
    void eachPayloadOfABatchIsKeptByteForByteInItsOwnJob() {
        // given: what a signature is computed over must survive as sent, spacing and key order included
        UUID org = db.newOrganization(clock);
        List<String> payloads = List.of("{ \"b\" : 1,\n  \"a\": [1, 2 ] }", "[\"quote \\\" and backslash \\\\\"]",
                "\"\u00e9t\u00e9 \\u00e9\"", "42", "null", "{\"nested\": {\"x\": null}}");
        List<NewJob> batch = payloads.stream()
                .map(payload -> new NewJob(ids.next(), org, "verbatim", payload, null, 0, 3, null, null, null, null,
                        null, null))
                .toList();

        // when
        jobs.insertBatch(batch, TTL);

        // then
        for (NewJob job : batch) {
            assertThat(jobs.get(org, job.id()).orElseThrow().payload()).isEqualTo(job.payload());
        }
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheExistingJobAndWritesNoSecondJob() {
        // given
        UUID org = db.newOrganization(clock);
        NewJob first = job(ids.next(), org, "default", null, "order-42");
        jobs.insertBatch(List.of(first), TTL);
        clock.advance(Duration.ofMinutes(5));

        // when
        NewJob again = job(ids.next(), org, "default", null, "order-42");
        List<InsertedJob> results = jobs.insertBatch(List.of(again), TTL);

        // then
        assertThat(results).containsExactly(new InsertedJob(first.id(), false));
        assertThat(jobs.get(org, again.id())).isEmpty();
        assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org)).isEqualTo(1);
    }

    @Test
    void theSameKeyTwiceInOneBatchResolvesToOneJob() {
        // given
        UUID org = db.newOrganization(clock);
        NewJob first = job(ids.next(), org, "default", null, "dup");
        NewJob unkeyed = job(ids.next(), org, "default", null, null);
        NewJob second = job(ids.next(), org, "default", null, "dup");

        // when
        List<InsertedJob> results = jobs.insertBatch(List.of(first, unkeyed, second), TTL);

        // then
        assertThat(results).containsExactly(
                new InsertedJob(first.id(), true), new InsertedJob(unkeyed.id(), true), new InsertedJob(first.id(), false));
        assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org)).isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ? AND idempotency_key = 'dup'", org))
                .isEqualTo(1);
    }

    @Test
    void aKeyRepeatedInABatchAnswersWithTheJobAnEarlierBatchCreated() {
        // given
        UUID org = db.newOrganization(clock);
        NewJob original = job(ids.next(), org, "default", null, "dup");
        jobs.insertBatch(List.of(original), TTL);

        // when
        List<InsertedJob> results = jobs.insertBatch(List.of(
                job(ids.next(), org, "default", null, "dup"), job(ids.next(), org, "default", null, "dup")), TTL);

        // then
        assertThat(results).containsExactly(new InsertedJob(original.id(), false), new InsertedJob(original.id(), false));
        assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org)).isEqualTo(1);
    }

    @Test
    void idempotencyKeysAreScopedPerOrganization() {
        // given
        UUID one = db.newOrganization(clock);
        UUID other = db.newOrganization(clock);
        NewJob ofOne = job(ids.next(), one, "default", null, "shared-key");
        jobs.insertBatch(List.of(ofOne), TTL);

        // when
        NewJob ofOther = job(ids.next(), other, "default", null, "shared-key");
        NewJob ofBoth = job(ids.next(), db.newOrganization(clock), "default", null, "shared-key");
        List<InsertedJob> results = jobs.insertBatch(List.of(ofOther, ofBoth), TTL);

        // then
        assertThat(results).containsExactly(new InsertedJob(ofOther.id(), true), new InsertedJob(ofBoth.id(), true));
        assertThat(jobs.get(other, ofOther.id())).isPresent();
        assertThat(jobs.get(one, ofOne.id())).isPresent();
    }

    @Test
    void anExpiredIdempotencyKeyIsTakenOverByANewJob() {
        // given
        UUID org = db.newOrganization(clock);
        Duration ttl = Duration.ofMinutes(10);
        NewJob old = job(ids.next(), org, "default", null, "retry-me");
        jobs.insertBatch(List.of(old), ttl);
        clock.advance(ttl.minusSeconds(1));
        assertThat(jobs.insertBatch(List.of(job(ids.next(), org, "default", null, "retry-me")), ttl))
                .as("still within the TTL").containsExactly(new InsertedJob(old.id(), false));

        // when
        clock.advance(Duration.ofSeconds(2));
        NewJob fresh = job(ids.next(), org, "default", null, "retry-me");
        List<InsertedJob> results = jobs.insertBatch(List.of(fresh), ttl);

        // then
        assertThat(results).containsExactly(new InsertedJob(fresh.id(), true));
        assertThat(fresh.id()).isNotEqualTo(old.id());
        assertThat(jobs.get(org, fresh.id()).orElseThrow().state()).isEqualTo("pending");
        assertThat(db.jdbc.queryForObject("SELECT job_id FROM idempotency_keys WHERE organization_id = ? AND key = ?",
                UUID.class, org, "retry-me")).isEqualTo(fresh.id());
        clock.advance(Duration.ofSeconds(1));
        assertThat(jobs.insertBatch(List.of(job(ids.next(), org, "default", null, "retry-me")), ttl))
                .as("the new job now owns the key").containsExactly(new InsertedJob(fresh.id(), false));
    }
}
