package io.sluice.ingest.work;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;
import io.sluice.proto.spooled.v1.Job;
import io.sluice.proto.spooled.v1.JobStatus;
import io.sluice.store.JobRecord;
import io.sluice.store.LeasedJob;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Jobs as {@code spooled.v1} carries them. Payloads and results are JSON objects there
 * ({@code google.protobuf.Struct}); a job whose payload is another kind of JSON is shown
 * without one.
 */
final class SpooledJobs {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private SpooledJobs() {
    }

    static Job of(JobRecord job) {
        Job.Builder out = Job.newBuilder()
                .setId(job.id().toString())
                .setOrganizationId(job.organizationId().toString())
                .setQueueName(job.queueName())
                .setStatus(status(job.state()))
                .setRetryCount(job.retryCount())
                .setMaxRetries(job.maxRetries())
                .setPriority(job.priority());
        if (job.lastError() != null) {
            out.setLastError(job.lastError());
        }
        if (job.timeoutSeconds() != null) {
            out.setTimeoutSeconds(job.timeoutSeconds());
        }
        if (job.idempotencyKey() != null) {
            out.setIdempotencyKey(job.idempotencyKey());
        }
        set(job.createdAt(), out::setCreatedAt);
        set(job.scheduledAt(), out::setScheduledAt);
        set(job.startedAt(), out::setStartedAt);
        set(job.completedAt(), out::setCompletedAt);
        set(job.leaseExpiresAt(), out::setLeaseExpiresAt);
        if (job.assignedWorkerId() != null) {
            out.setAssignedWorkerId(job.assignedWorkerId().toString());
        }
        if (job.leaseId() != null) {
            out.setLeaseId(job.leaseId().toString());
        }
        return withStructs(out, utf8(job.payload()), utf8(job.result()));
    }

    static Job of(LeasedJob job, UUID workerId) {
        Job.Builder out = Job.newBuilder()
                .setId(job.id().toString())
                .setOrganizationId(job.organizationId().toString())
                .setQueueName(job.queueName())
                .setStatus(JobStatus.JOB_STATUS_PROCESSING)
                .setRetryCount(job.retryCount())
                .setMaxRetries(job.maxRetries())
                .setPriority(job.priority())
                .setAssignedWorkerId(workerId.toString())
                .setLeaseId(job.leaseId().toString())
                .setLeaseExpiresAt(timestamp(job.leaseExpiresAt()));
        if (job.timeoutSeconds() != null) {
            out.setTimeoutSeconds(job.timeoutSeconds());
        }
        if (job.idempotencyKey() != null) {
            out.setIdempotencyKey(job.idempotencyKey());
        }
        if (job.lastError() != null) {
            out.setLastError(job.lastError());
        }
        set(job.createdAt(), out::setCreatedAt);
        set(job.scheduledAt(), out::setScheduledAt);
        set(job.startedAt(), out::setStartedAt);
        return withStructs(out, job.payload(), null);
    }

    /**
     * The job with its payload and result, JSON objects, as {@code Struct}s written straight from
     * their JSON ({@link JsonStructs}). Protobuf holds them as fields it has not parsed and writes
     * them as they are; on the wire they are the job's {@code payload} and {@code result}, and
     * that is where every client reads them. So a job built here is for sending only: its
     * {@code getPayload()} on this side is empty.
     */
    private static Job withStructs(Job.Builder out, byte[] payload, byte[] result) {
        UnknownFieldSet.Builder structs = UnknownFieldSet.newBuilder();
        JsonStructs.wire(payload).ifPresent(wire -> structs.addField(Job.PAYLOAD_FIELD_NUMBER, field(wire)));
        JsonStructs.wire(result).ifPresent(wire -> structs.addField(Job.RESULT_FIELD_NUMBER, field(wire)));
        return out.setUnknownFields(structs.build()).build();
    }

    private static byte[] utf8(String json) {
        return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    }

    private static UnknownFieldSet.Field field(ByteString message) {
        return UnknownFieldSet.Field.newBuilder().addLengthDelimited(message).build();
    }

    static JobStatus status(String state) {
        return switch (state) {
            case "pending" -> JobStatus.JOB_STATUS_PENDING;
            case "scheduled" -> JobStatus.JOB_STATUS_SCHEDULED;
            case "processing" -> JobStatus.JOB_STATUS_PROCESSING;
            case "completed" -> JobStatus.JOB_STATUS_COMPLETED;
            case "failed" -> JobStatus.JOB_STATUS_FAILED;
            case "deadletter" -> JobStatus.JOB_STATUS_DEADLETTER;
            case "cancelled" -> JobStatus.JOB_STATUS_CANCELLED;
            default -> JobStatus.JOB_STATUS_UNSPECIFIED;
        };
    }

    /** A Struct as JSON text; an unset one is {@code {}}. */
    static String json(Struct struct) {
        try {
            return PRINTER.print(struct);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("a Struct that cannot be printed as JSON", e);
        }
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static void set(Instant instant, Consumer<Timestamp> setter) {
        if (instant != null) {
            setter.accept(timestamp(instant));
        }
    }
}
