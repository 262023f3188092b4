package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** EndpointHealthStore.recordOutcomes: since when an endpoint fails, and when it is disabled. */
class EndpointHealthStoreTest {

    private static final Duration DISABLE_AFTER = Duration.ofDays(5);

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final EndpointHealthStore health = new EndpointHealthStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final EndpointStore endpoints = new EndpointStore(db.jdbc);
    private final UUID org = db.newOrganization(clock);
    private final Endpoint endpoint = db.newEndpoint(org, clock);

    @Test
    void theFirstFailureStartsTheCountAndLaterOnesKeepIt() {
        // given
        Instant first = clock.instant();
        health.recordOutcomes(List.of(failed(first)), DISABLE_AFTER);

        // when
        clock.advance(Duration.ofHours(1));
        health.recordOutcomes(List.of(failed(clock.instant())), DISABLE_AFTER);

        // then
        Endpoint stored = stored();
        assertThat(stored.failingSince()).isEqualTo(first);
        assertThat(stored.enabled()).isTrue();
    }

    @Test
    void aSuccessEndsTheCountAndAFailureAfterItInTheSameBatchStartsANewOne() {
        // given
        health.recordOutcomes(List.of(failed(clock.instant())), DISABLE_AFTER);
        clock.advance(Duration.ofMinutes(5));
        Instant delivered = clock.instant();
        Instant failedAfter = delivered.plusSeconds(1);

        // when / then
        health.recordOutcomes(List.of(delivered(delivered)), DISABLE_AFTER);
        assertThat(stored().failingSince()).isNull();
        health.recordOutcomes(List.of(failed(clock.instant())), DISABLE_AFTER);
        health.recordOutcomes(List.of(delivered(delivered), failed(failedAfter)), DISABLE_AFTER);
        assertThat(stored().failingSince()).isEqualTo(failedAfter);
    }

    @Test
    void anEndpointWhoseEveryAttemptFailedForFiveDaysIsDisabledWithTheReason() {
        // given
        Instant first = clock.instant();
        health.recordOutcomes(List.of(failed(first)), DISABLE_AFTER);
        clock.advance(DISABLE_AFTER.minusMinutes(1));
        health.recordOutcomes(List.of(failed(clock.instant())), DISABLE_AFTER);
        assertThat(stored().enabled()).as("not yet five days").isTrue();

        // when
        clock.advance(Duration.ofMinutes(2));
        health.recordOutcomes(List.of(failed(clock.instant())), DISABLE_AFTER);

        // then
        Endpoint stored = stored();
        assertThat(stored.enabled()).isFalse();
        assertThat(stored.disabledAt()).isEqualTo(clock.instant());
        assertThat(stored.disabledReason()).startsWith("every attempt failed since ").contains("120h");
    }

    @Test
    void goneDisablesAtOnceAndAReplayedBatchChangesNothingMore() {
        // given
        AttemptRecorded gone = new AttemptRecorded(ids.next(), UUID.randomUUID(), org, endpoint.id(), clock.instant(),
                5, 410, "", "http_status", "receiver answered HTTP 410", JobState.DEADLETTER, "worker-1", 1, null,
                "the receiver answered 410 Gone", true);

        // when
        health.recordOutcomes(List.of(gone), DISABLE_AFTER);
        Instant disabledAt = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        health.recordOutcomes(List.of(gone), DISABLE_AFTER);

        // then
        Endpoint stored = stored();
        assertThat(stored.enabled()).isFalse();
        assertThat(stored.disabledReason()).isEqualTo(EndpointHealthStore.GONE_REASON);
        assertThat(stored.disabledAt()).isEqualTo(disabledAt);
    }

    private Endpoint stored() {
        return endpoints.get(org, endpoint.id()).orElseThrow();
    }

    private AttemptRecorded failed(Instant at) {
        return new AttemptRecorded(ids.next(), UUID.randomUUID(), org, endpoint.id(), at, 15_000, null, null, "timeout",
                "no answer in 15 s", JobState.PENDING, "worker-1", 1, at.plusSeconds(5), null, false);
    }

    private AttemptRecorded delivered(Instant at) {
        return new AttemptRecorded(ids.next(), UUID.randomUUID(), org, endpoint.id(), at, 12, 200, "ok", null, null,
                JobState.COMPLETED, "worker-1", 1, null, null, false);
    }
}
