package io.sluice.topology.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LiveFilterTest {

    @Test
    void aTypeMayBeNamedInAnyOfItsSpellings() {
        assertThat(List.of(LiveFilter.typeKey("JobCompleted"), LiveFilter.typeKey("job_completed"),
                LiveFilter.typeKey("job.completed"), LiveFilter.typeKey("JOB-COMPLETED"))).containsOnly("jobcompleted");

        LiveFilter filter = new LiveFilter(UUID.randomUUID(), null, null, null, Set.of("job.completed", " "), false);
        assertThat(filter.wants(new LiveMessage(LiveMessage.JOB_COMPLETED, Map.of()))).isTrue();
        assertThat(filter.wants(new LiveMessage(LiveMessage.JOB_FAILED, Map.of()))).isFalse();
    }
}
