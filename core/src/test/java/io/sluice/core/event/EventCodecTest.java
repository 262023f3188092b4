package io.sluice.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.job.JobState;
import io.sluice.core.kafka.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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
    void anAttemptWithoutItsOptionalFieldsSurvivesTheRoundTrip() {
        AttemptRecorded attempt = new AttemptRecorded(UUID.randomUUID(), UUID.randomUUID(), null, null, null, 0, null,
                null, null, null, null, null, 1, null, null, true, null);

        assertThat(EventCodec.decode(attempt.type(), EventCodec.encode(attempt))).isEqualTo(attempt);
    }

    @Test
    void aStateChangeSurvivesTheRoundTripInItsBinaryForm() {
        JobStateChanged change = new JobStateChanged(9_000_000_001L, UUID.randomUUID(), UUID.randomUUID(), "emails",
                JobState.PROCESSING, JobState.PENDING, Instant.parse("2026-11-28T10:00:00.123456Z"), -7, 3,
                "connection refused", Instant.parse("2026-11-28T10:00:01.5Z"), "emails",
                Instant.parse("2026-11-28T10:00:00.75Z"), Instant.parse("2026-11-28T10:00:01.499Z"));

        byte[] written = EventCodec.encode(change);

        assertThat(written[0]).isNotEqualTo((byte) '{');
        assertThat(EventCodec.decode(JobEvent.JOB_STATE, written)).isEqualTo(change);
    }

    @Test
    void aChangeSetSurvivesTheRoundTripInItsBinaryFormWithEachChangeInItsPlace() {
        UUID organization = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-28T10:00:02Z");
        JobStateChanged created = new JobStateChanged(77, UUID.randomUUID(), organization, "emails", null,
                JobState.PENDING, at, 0, 0, null, at, null, null, at.minusMillis(1));
        JobStateChanged moved = new JobStateChanged(77, UUID.randomUUID(), organization, "reports", JobState.PENDING,
                JobState.PENDING, at.minusSeconds(60), 2, 0, null, at, "emails", at.minusSeconds(60),
                at.minusMillis(1));
        JobStateChanged gone = new JobStateChanged(77, UUID.randomUUID(), organization, "emails",
                JobState.COMPLETED, null, at.minusSeconds(3_600), 0, 1, null, at, null, at.minusSeconds(60), null);
        JobChangeSet set = new JobChangeSet(77, List.of(created, moved, gone));

        byte[] written = EventCodec.encode(set);

        assertThat(written[0]).isNotEqualTo((byte) '{');
        assertThat(EventCodec.decodeChangeSet(written)).isEqualTo(set);
        assertThat(gone.fromQueueName()).as("a change that says no queue before stayed in its queue")
                .isEqualTo("emails");
    }

    @Test
    void aChangeSetThatIsNotOneIsMalformed() {
        assertThatThrownBy(() -> EventCodec.decodeChangeSet(new byte[] {10, 50, 1}))
                .isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> EventCodec.decodeChangeSet(new byte[0]))
                .as("a set of no changes").isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void aNewJobAndAGoneOneHaveNoStateOnOneSide() {
        UUID job = UUID.randomUUID();
        UUID organization = UUID.randomUUID();
        JobStateChanged created = new JobStateChanged(1, job, organization, "q", null, JobState.PENDING,
                Instant.parse("2026-11-28T10:00:00Z"), 0, 0, null, Instant.parse("2026-11-28T10:00:00Z"), null, null,
                Instant.parse("2026-11-28T10:00:00Z"));
        JobStateChanged gone = new JobStateChanged(2, job, organization, "q", JobState.COMPLETED, null,
                Instant.parse("2026-11-28T10:00:00Z"), 0, 1, null, Instant.parse("2026-11-29T10:00:00Z"), "q",
                Instant.parse("2026-11-28T10:00:01Z"), null);

        assertThat(EventCodec.decode(JobEvent.JOB_STATE, EventCodec.encode(created))).isEqualTo(created);
        assertThat(EventCodec.decode(JobEvent.JOB_STATE, EventCodec.encode(gone))).isEqualTo(gone);
    }

    @Test
    void anInstantBeyondTheBinaryFormsRangeIsWrittenAsJsonAndReadBackWhole() {
        JobStateChanged change = new JobStateChanged(3, UUID.randomUUID(), UUID.randomUUID(), "q", JobState.PENDING,
                JobState.SCHEDULED, Instant.parse("2026-11-28T10:00:00Z"), 0, 1, null,
                Instant.parse("3000-01-01T00:00:00Z"), "q", null, null);

        byte[] written = EventCodec.encode(change);

        assertThat(written[0]).isEqualTo((byte) '{');
        assertThat(EventCodec.decode(JobEvent.JOB_STATE, written)).isEqualTo(change);
    }

    @Test
    void aStateChangeEarlierReleasesWroteAsJsonIsStillRead() {
        UUID job = UUID.randomUUID();
        String json = "{\"version\":12,\"jobId\":\"" + job + "\",\"organizationId\":\"" + UUID.randomUUID()
                + "\",\"queueName\":\"emails\",\"from\":null,\"to\":\"PENDING\",\"createdAt\":\"2026-11-28T10:00:00Z\""
                + ",\"priority\":5,\"attempts\":0,\"error\":null,\"at\":\"2026-11-28T10:00:00.25Z\"}";

        JobStateChanged read = (JobStateChanged) EventCodec.decode(JobEvent.JOB_STATE, json.getBytes(StandardCharsets.UTF_8));

        assertThat(read.version()).isEqualTo(12);
        assertThat(read.jobId()).isEqualTo(job);
        assertThat(read.from()).isNull();
        assertThat(read.to()).isEqualTo(JobState.PENDING);
        assertThat(read.priority()).isEqualTo(5);
        assertThat(read.at()).isEqualTo(Instant.parse("2026-11-28T10:00:00.25Z"));
    }

    @Test
    void aBinaryRecordThatIsNotAnEventIsMalformed() {
        byte[] truncated = Arrays.copyOf(EventCodec.encode(new JobStateChanged(1, UUID.randomUUID(),
                UUID.randomUUID(), "q", null, JobState.PENDING, null, 0, 0, null, null, null, null, null)), 10);

        assertThatThrownBy(() -> EventCodec.decode(JobEvent.JOB_STATE, truncated))
                .isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> EventCodec.decode(JobEvent.DELIVERY_PARKED, new byte[] {8, 1}))
                .isInstanceOf(MalformedRecordException.class);
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
