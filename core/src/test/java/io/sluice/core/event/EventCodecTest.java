package io.sluice.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.job.JobState;
import io.sluice.core.kafka.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    @Test
    void anAttemptSurvivesTheRoundTrip() {
        AttemptRecorded attempt = new AttemptRecorded(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), Instant.parse("2026-11-28T10:00:00.123456Z"), 42, null, null, "timeout",
                "no answer in 15 s", JobState.PENDING, "worker-1", 2, Instant.parse("2026-11-28T10:05:00Z"), null, false);

        JobEvent read = EventCodec.decode(attempt.type(), EventCodec.encode(attempt));

        assertThat(read).isEqualTo(attempt);
    }

    @Test
    void unknownFieldsFromNewerWritersAreIgnored() {
        String json = "{\"attemptId\":\"" + UUID.randomUUID() + "\",\"jobId\":\"" + UUID.randomUUID()
                + "\",\"jobState\":\"COMPLETED\",\"startedAt\":\"2026-11-28T10:00:00Z\",\"durationMs\":1,\"future\":true}";

        AttemptRecorded read = (AttemptRecorded) EventCodec.decode(JobEvent.ATTEMPT_RECORDED, json.getBytes(StandardCharsets.UTF_8));

        assertThat(read.delivered()).isTrue();
    }

    @Test
    void anUnknownTypeOrGarbageIsMalformed() {
        assertThatThrownBy(() -> EventCodec.decode("nope", new byte[0])).isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> EventCodec.decode(JobEvent.ATTEMPT_RECORDED, "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class);
    }
}
