package io.sluice.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkflowProgressTest {

    @Test
    void aWorkflowIsPendingUntilAJobStartsAndRunningUntilAllEnded() {
        assertThat(new WorkflowProgress(4, 0, 0, 0, 0, 0, 4, false).status(false)).isEqualTo(WorkflowStatus.PENDING);
        assertThat(new WorkflowProgress(4, 0, 0, 0, 0, 1, 3, true).status(false)).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(new WorkflowProgress(4, 1, 0, 0, 0, 0, 3, true).status(false)).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(new WorkflowProgress(4, 4, 0, 0, 0, 0, 0, true).status(false)).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void itFailsWhenEveryJobEndedAndOneWasGivenUpAndIsCancelledWhenAUserSaidSo() {
        assertThat(new WorkflowProgress(4, 1, 3, 0, 0, 0, 0, true).status(false)).isEqualTo(WorkflowStatus.FAILED);
        assertThat(new WorkflowProgress(4, 1, 1, 0, 0, 1, 1, true).status(false)).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(new WorkflowProgress(4, 1, 0, 0, 3, 0, 0, true).status(false)).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(new WorkflowProgress(4, 0, 0, 0, 0, 1, 3, true).status(true)).isEqualTo(WorkflowStatus.CANCELLED);
    }

    @Test
    void aFailureEveryDependantGotPastDoesNotFailTheWorkflow() {
        // a fetch from two mirrors, one of which failed, then a job that needed either
        assertThat(new WorkflowProgress(3, 2, 1, 1, 0, 0, 0, true).status(false)).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(new WorkflowProgress(3, 2, 1, 1, 0, 0, 0, true).percentComplete()).isEqualTo(100);
        assertThat(new WorkflowProgress(3, 1, 1, 1, 0, 0, 1, true).status(false)).isEqualTo(WorkflowStatus.RUNNING);
        // ... unless something else failed too
        assertThat(new WorkflowProgress(4, 2, 2, 1, 0, 0, 0, true).status(false)).isEqualTo(WorkflowStatus.FAILED);
        assertThatThrownBy(() -> new WorkflowProgress(3, 1, 1, 2, 0, 0, 1, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void progressIsTheShareOfCompletedJobs() {
        assertThat(new WorkflowProgress(3, 2, 0, 0, 0, 0, 1, true).percentComplete()).isEqualTo(66);
        assertThatThrownBy(() -> new WorkflowProgress(3, 2, 0, 0, 0, 0, 0, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
