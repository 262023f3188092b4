package io.sluice.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.workflow.DependencyVerdict.Cancel;
import io.sluice.core.workflow.DependencyVerdict.Release;
import io.sluice.core.workflow.DependencyVerdict.Wait;
import org.junit.jupiter.api.Test;

class DependencyVerdictTest {

    @Test
    void inModeAllAJobRunsOnceEveryDependencyCompletedAndIsCancelledByTheFirstThatDidNot() {
        assertThat(DependencyVerdict.of(DependencyMode.ALL, 2, 1, 0)).isInstanceOf(Wait.class);
        assertThat(DependencyVerdict.of(DependencyMode.ALL, 2, 2, 0)).isInstanceOf(Release.class);
        assertThat(DependencyVerdict.of(DependencyMode.ALL, 2, 0, 1)).isInstanceOf(Cancel.class);
        assertThat(DependencyVerdict.of(DependencyMode.ALL, 2, 1, 1)).isInstanceOf(Cancel.class);
    }

    @Test
    void inModeAnyOneCompletionIsEnoughAndOnlyTheFailureOfAllCancels() {
        assertThat(DependencyVerdict.of(DependencyMode.ANY, 2, 0, 0)).isInstanceOf(Wait.class);
        assertThat(DependencyVerdict.of(DependencyMode.ANY, 2, 0, 1)).isInstanceOf(Wait.class);
        assertThat(DependencyVerdict.of(DependencyMode.ANY, 2, 1, 1)).isInstanceOf(Release.class);
        assertThat(DependencyVerdict.of(DependencyMode.ANY, 2, 0, 2)).isInstanceOf(Cancel.class);
    }

    @Test
    void countsThatCannotBeAreRefused() {
        assertThatThrownBy(() -> DependencyVerdict.of(DependencyMode.ALL, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DependencyVerdict.of(DependencyMode.ANY, 2, 2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
