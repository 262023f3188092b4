package io.sluice.core.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SystemEventTest {

    @Test
    void typesCarryTheirDottedWireNames() {
        assertThat(SystemEventType.JOB_DEADLETTERED.wireName()).isEqualTo("job.deadlettered");
        assertThat(SystemEventType.ENDPOINT_DISABLED.wireName()).isEqualTo("endpoint.disabled");
        assertThat(SystemEventType.SCHEDULE_TRIGGERED.wireName()).isEqualTo("schedule.triggered");
        assertThat(Arrays.stream(SystemEventType.values()).map(SystemEventType::wireName))
                .allMatch(name -> name.chars().filter(c -> c == '.').count() == 1);
    }

    @Test
    void everyTypeButTheTestEventCanBeSubscribedTo() {
        assertThat(SystemEventType.subscribable("job.completed")).contains(SystemEventType.JOB_COMPLETED);
        assertThat(SystemEventType.subscribable("webhook.test")).isEmpty();
        assertThat(SystemEventType.subscribable("job.exploded")).isEmpty();
        assertThat(SystemEventType.subscribable(null)).isEmpty();
    }

    @Test
    void theBodyIsEventDataAndTimestampWithTheDataInItsOrderAndItsNulls() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", "j1");
        data.put("error", null);
        data.put("will_retry", true);
        SystemEvent event = new SystemEvent(SystemEventType.JOB_FAILED, UUID.randomUUID(), null,
                Instant.parse("2026-11-29T09:00:00Z"), data);

        assertThat(event.body()).isEqualTo("{\"event\":\"job.failed\",\"data\":{\"job_id\":\"j1\",\"error\":null,"
                + "\"will_retry\":true},\"timestamp\":\"2026-11-29T09:00:00Z\"}");
    }
}
