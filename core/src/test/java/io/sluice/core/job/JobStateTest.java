package io.sluice.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobStateTest {

    @Test
    void aCompletedJobGoesNowhereAndACancelledOneOnlyBackToWaitingForItsWorkflowsRetry() {
        for (JobState target : JobState.values()) {
            assertThat(JobState.COMPLETED.canMoveTo(target)).isFalse();
            assertThat(JobState.CANCELLED.canMoveTo(target)).isEqualTo(target == JobState.SCHEDULED);
        }
        assertThat(JobState.COMPLETED.isTerminal()).isTrue();
        assertThat(JobState.PENDING.isTerminal()).isFalse();
        assertThat(JobState.CANCELLED.hasEnded()).isTrue();
    }

    @Test
    void aDuplicateDeliveryMayCompleteAFailedJobButNothingUndoesACompletion() {
        assertThat(JobState.sourcesOf(JobState.COMPLETED)).contains(JobState.PENDING, JobState.PROCESSING, JobState.FAILED);
        assertThat(JobState.sourcesOf(JobState.FAILED)).doesNotContain(JobState.COMPLETED, JobState.CANCELLED);
    }

    @Test
    void aFailedAttemptWithARetryDueLeavesTheJobPendingAndOnlyAManualRetryRevivesADeadLetter() {
        assertThat(JobState.PENDING.canMoveTo(JobState.PENDING)).isTrue();
        assertThat(JobState.sourcesOf(JobState.DEADLETTER)).contains(JobState.PENDING).doesNotContain(JobState.COMPLETED);
        assertThat(JobState.DEADLETTER.canMoveTo(JobState.PENDING)).isTrue();
        assertThat(JobState.DEADLETTER.canMoveTo(JobState.COMPLETED)).isFalse();
    }

    @Test
    void onlyGivenUpJobsMayBeRetriedByHandAndEachOfThemMayMoveToPending() {
        assertThat(JobState.manuallyRetryable()).containsExactlyInAnyOrder(JobState.FAILED, JobState.DEADLETTER);
        assertThat(JobState.manuallyRetryable()).allSatisfy(state -> assertThat(state.canMoveTo(JobState.PENDING)).isTrue());
    }

    @Test
    void onlyNotYetRunJobsCanBeCancelled() {
        assertThat(JobState.sourcesOf(JobState.CANCELLED)).containsExactlyInAnyOrder(JobState.SCHEDULED, JobState.PENDING);
    }

    @Test
    void wireNamesAreLowerCaseAndRoundTrip() {
        for (JobState state : JobState.values()) {
            assertThat(state.wireName()).isEqualTo(state.name().toLowerCase());
            assertThat(JobState.fromWireName(state.wireName())).isEqualTo(state);
            assertThat(JobState.fromWireName(state.name())).as("any case").isEqualTo(state);
        }
        assertThatThrownBy(() -> JobState.fromWireName("finished")).isInstanceOf(IllegalArgumentException.class);
    }
}
