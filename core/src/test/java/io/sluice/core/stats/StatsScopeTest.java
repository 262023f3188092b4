package io.sluice.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.job.JobState;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatsScopeTest {

    private final UUID org = UUID.randomUUID();

    @Test
    void aScopeIsFoundAgainFromItsKeyWhateverItsQueueIsCalled() {
        for (StatsScope scope : new StatsScope[] {StatsScope.organization(org), StatsScope.queue(org, "emails"),
                StatsScope.queue(org, "a/b/c"), StatsScope.queue(org, "x"), StatsScope.endpoint(org, UUID.randomUUID())}) {
            assertThat(StatsScope.fromKey(scope.key())).isEqualTo(scope);
        }
        assertThat(StatsScope.organization(org).key()).isNotEqualTo(StatsScope.queue(org, "").key());
    }

    @Test
    void aKeyOfNoScopeIsRefused() {
        assertThatThrownBy(() -> StatsScope.fromKey("queue/" + org)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatsScope.fromKey("job/" + org)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatsScope.fromKey("endpoint/" + org + "/emails"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMoveTakesOneJobFromOneStateToAnother() {
        StateCounts counts = StateCounts.NONE.moved(null, JobState.PENDING).moved(null, JobState.PENDING)
                .moved(JobState.PENDING, JobState.COMPLETED).moved(JobState.PENDING, JobState.DEADLETTER)
                .moved(null, JobState.SCHEDULED).moved(JobState.SCHEDULED, null);

        assertThat(counts).isEqualTo(new StateCounts(0, 0, 0, 1, 0, 1, 0));
        assertThat(counts.of(JobState.COMPLETED)).isEqualTo(1);
        assertThat(counts.total()).isEqualTo(2);
    }
}
