package io.sluice.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.job.JobState;
import io.sluice.core.reconcile.Reconciliation.LookAgain;
import io.sluice.core.reconcile.Reconciliation.Regrant;
import io.sluice.core.reconcile.Reconciliation.Republish;
import io.sluice.core.reconcile.Reconciliation.Settled;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration STUCK_AFTER = Duration.ofMinutes(10);

    private static JobSighting pending(Instant nextAttemptAt, Instant updatedAt, int retryCount, int repairs) {
        return new JobSighting(JobState.PENDING, nextAttemptAt, updatedAt, null, retryCount, repairs, null);
    }

    @Test
    void aJobThatEndedIsForgotten() {
        for (JobState ended : new JobState[] {JobState.COMPLETED, JobState.DEADLETTER, JobState.CANCELLED}) {
            assertThat(Reconciliation.of(new JobSighting(ended, null, NOW.minusSeconds(86_400), null, 0, 0, null), false,
                    NOW, STUCK_AFTER)).isInstanceOf(Settled.class);
        }
    }

    @Test
    void aPendingJobUntouchedLongerThanItsPatienceIsSentAgainAtItsFirstAttempt() {
        var lost = Reconciliation.of(pending(null, NOW.minus(Duration.ofMinutes(11)), 0, 0), false, NOW, STUCK_AFTER);
        var young = Reconciliation.of(pending(null, NOW.minus(Duration.ofMinutes(9)), 0, 0), false, NOW, STUCK_AFTER);

        assertThat(lost).isInstanceOf(Republish.class);
        assertThat(((Republish) lost).attempt()).isEqualTo(1);
        assertThat(((Republish) lost).lookAgainAt()).isEqualTo(NOW.plus(Duration.ofMinutes(20)));
        assertThat(young).isEqualTo(new LookAgain(NOW.plus(Duration.ofMinutes(1))));
    }

    @Test
    void aRetryThatNeverCameIsSentAgainAtTheAttemptThatWasDue() {
        var lost = Reconciliation.of(pending(NOW.minus(Duration.ofMinutes(15)), NOW.minus(Duration.ofHours(1)), 2, 0),
                false, NOW, STUCK_AFTER);
        var waiting = Reconciliation.of(pending(NOW.plus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(1)), 2, 0),
                false, NOW, STUCK_AFTER);

        assertThat(((Republish) lost).attempt()).isEqualTo(4);
        assertThat(waiting).isEqualTo(new LookAgain(NOW.plus(Duration.ofHours(2)).plus(STUCK_AFTER)));
    }

    @Test
    void eachRepairDoublesThePatienceSoABacklogCostsFewDuplicates() {
        Instant updated = NOW.minus(Duration.ofMinutes(30));
        assertThat(Reconciliation.of(pending(null, updated, 0, 1), false, NOW, STUCK_AFTER)).isInstanceOf(Republish.class);
        assertThat(Reconciliation.of(pending(null, updated, 0, 2), false, NOW, STUCK_AFTER))
                .isEqualTo(new LookAgain(updated.plus(Duration.ofMinutes(40))));
    }

    @Test
    void jobsHeldInPostgresqlOrWithAWorkerAreOnlyLookedAtAgain() {
        Instant old = NOW.minus(Duration.ofDays(1));
        assertThat(Reconciliation.of(pending(null, old, 0, 0), true, NOW, STUCK_AFTER))
                .isEqualTo(new LookAgain(NOW.plus(STUCK_AFTER)));
        assertThat(Reconciliation.of(new JobSighting(JobState.PROCESSING, null, old, null, 0, 0, null), false, NOW,
                STUCK_AFTER)).isEqualTo(new LookAgain(NOW.plus(STUCK_AFTER)));
        Instant leaseEnds = NOW.plus(Duration.ofHours(2));
        assertThat(Reconciliation.of(new JobSighting(JobState.PROCESSING, null, old, null, 0, 0, leaseEnds), false,
                NOW, STUCK_AFTER)).as("a worker's lease runs").isEqualTo(new LookAgain(leaseEnds.plus(STUCK_AFTER)));
        Instant inAMonth = NOW.plus(Duration.ofDays(30));
        assertThat(Reconciliation.of(new JobSighting(JobState.SCHEDULED, null, old, inAMonth, 0, 0, null), false, NOW,
                STUCK_AFTER)).isEqualTo(new LookAgain(inAMonth.plus(STUCK_AFTER)));
    }

    @Test
    void aLeaseThatRanOutLongAgoIsNamedToTheLeaseReaperAgainOnceLate() {
        Instant ranOut = NOW.minus(STUCK_AFTER).plusSeconds(1);
        assertThat(Reconciliation.of(new JobSighting(JobState.PROCESSING, null, ranOut, null, 0, 0, ranOut), false,
                NOW, STUCK_AFTER)).as("the reaper may still be on its way").isEqualTo(new LookAgain(ranOut.plus(STUCK_AFTER)));

        Instant longAgo = NOW.minus(STUCK_AFTER).minusSeconds(1);
        assertThat(Reconciliation.of(new JobSighting(JobState.PROCESSING, null, longAgo, null, 0, 0, longAgo), false,
                NOW, STUCK_AFTER)).isEqualTo(new Regrant("its lease ran out at " + longAgo + " and nothing took it back",
                NOW.plus(STUCK_AFTER.multipliedBy(2))));
    }
}
