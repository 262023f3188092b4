package io.sluice.ingest.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import io.sluice.proto.spooled.v1.Job;
import io.sluice.proto.spooled.v1.JobStatus;
import io.sluice.store.LeasedJob;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SpooledJobsTest {

    private static final String PAYLOAD = "{\"image\": \"a.png\", \"sizes\": [64, 128], \"meta\": {\"by\": \"ada\"}}";

    @Test
    void aLeasedJobReachesTheWorkerWithItsPayloadAsAStruct() throws Exception {
        UUID workerId = UUID.randomUUID();
        LeasedJob leased = new LeasedJob(UUID.randomUUID(), UUID.randomUUID(), "images",
                PAYLOAD.getBytes(StandardCharsets.UTF_8), 1, 3, 30, 5, UUID.randomUUID(),
                Instant.parse("2026-11-30T12:00:30Z"), "upload-42", "timed out", Instant.parse("2026-11-30T11:59:00Z"),
                null, Instant.parse("2026-11-30T12:00:00Z"));

        Job received = Job.parseFrom(SpooledJobs.of(leased, workerId).toByteArray());

        assertThat(received.getPayload()).isEqualTo(struct(PAYLOAD));
        assertThat(received.hasResult()).isFalse();
        assertThat(received.getUnknownFields().asMap()).as("nothing left unread").isEmpty();
        assertThat(received.getId()).isEqualTo(leased.id().toString());
        assertThat(received.getStatus()).isEqualTo(JobStatus.JOB_STATUS_PROCESSING);
        assertThat(received.getAssignedWorkerId()).isEqualTo(workerId.toString());
        assertThat(received.getLeaseId()).isEqualTo(leased.leaseId().toString());
        assertThat(received.getLeaseExpiresAt().getSeconds()).isEqualTo(leased.leaseExpiresAt().getEpochSecond());
        assertThat(received.getTimeoutSeconds()).isEqualTo(30);
        assertThat(received.getPriority()).isEqualTo(5);
        assertThat(received.getIdempotencyKey()).isEqualTo("upload-42");
        assertThat(received.getLastError()).isEqualTo("timed out");
        assertThat(SpooledJobs.instant(received.getCreatedAt())).isEqualTo(leased.createdAt());
        assertThat(SpooledJobs.instant(received.getStartedAt())).isEqualTo(leased.startedAt());
        assertThat(received.hasScheduledAt()).isFalse();
    }

    @Test
    void aPayloadThatIsNotAnObjectIsLeftOut() throws Exception {
        LeasedJob leased = new LeasedJob(UUID.randomUUID(), UUID.randomUUID(), "images",
                "[1, 2]".getBytes(StandardCharsets.UTF_8), 0, 3, null, 0, UUID.randomUUID(),
                Instant.parse("2026-11-30T12:00:30Z"), null, null, Instant.parse("2026-11-30T11:59:00Z"), null,
                Instant.parse("2026-11-30T12:00:00Z"));

        Job received = Job.parseFrom(SpooledJobs.of(leased, UUID.randomUUID()).toByteArray());

        assertThat(received.hasPayload()).isFalse();
        assertThat(received.getUnknownFields().asMap()).isEmpty();
    }

    private static Struct struct(String json) throws Exception {
        Struct.Builder struct = Struct.newBuilder();
        JsonFormat.parser().merge(json, struct);
        return struct.build();
    }
}
