package io.sluice.core.event;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.sluice.core.job.JobState;
import io.sluice.proto.events.v1.AttemptRecordedEvent;
import io.sluice.proto.events.v1.JobChangesEvent;
import io.sluice.proto.events.v1.JobStateChangedEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The protobuf form ({@code events.proto}) of the events written once per job change and per
 * delivery attempt. Every field maps one to one; nulls are absent optional fields.
 */
final class BinaryEvents {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private BinaryEvents() {
    }

    static byte[] encode(JobChangeSet set) {
        JobChangesEvent.Builder out = JobChangesEvent.newBuilder();
        set.changes().forEach(change -> out.addChanges(message(change)));
        return out.build().toByteArray();
    }

    static JobChangeSet decodeChangeSet(byte[] value) throws InvalidProtocolBufferException {
        List<JobStateChangedEvent> in = JobChangesEvent.parseFrom(value).getChangesList();
        List<JobStateChanged> changes = new ArrayList<>(in.size());
        in.forEach(change -> changes.add(change(change)));
        if (changes.isEmpty()) {
            throw new InvalidProtocolBufferException("a change set with no changes");
        }
        return new JobChangeSet(changes.getFirst().version(), changes);
    }

    /** The changes of an encoded set, counted by skipping over them. */
    static int changeSetSize(byte[] value) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(value);
        int changes = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == JobChangesEvent.CHANGES_FIELD_NUMBER) {
                changes++;
            }
            in.skipField(tag);
        }
        return changes;
    }

    static byte[] encode(JobStateChanged change) {
        return message(change).toByteArray();
    }

    private static JobStateChangedEvent message(JobStateChanged change) {
        JobStateChangedEvent.Builder out = JobStateChangedEvent.newBuilder()
                .setVersion(change.version())
                .setJobIdMsb(change.jobId().getMostSignificantBits())
                .setJobIdLsb(change.jobId().getLeastSignificantBits())
                .setOrganizationIdMsb(change.organizationId().getMostSignificantBits())
                .setOrganizationIdLsb(change.organizationId().getLeastSignificantBits())
                .setQueueName(change.queueName())
                .setPriority(change.priority())
                .setAttempts(change.attempts());
        if (change.from() != null) {
            out.setFrom(change.from().name());
        }
        if (change.to() != null) {
            out.setTo(change.to().name());
        }
        if (change.createdAt() != null) {
            out.setCreatedAtNanos(nanos(change.createdAt()));
        }
        if (change.error() != null) {
            out.setError(change.error());
        }
        if (change.at() != null) {
            out.setAtNanos(nanos(change.at()));
        }
        if (change.fromQueueName() != null && !change.fromQueueName().equals(change.queueName())) {
            out.setFromQueueName(change.fromQueueName());
        }
        if (change.fromSince() != null) {
            out.setFromSinceNanos(nanos(change.fromSince()));
        }
        if (change.since() != null) {
            out.setSinceNanos(nanos(change.since()));
        }
        return out.build();
    }

    static JobStateChanged decodeJobStateChanged(byte[] value) throws InvalidProtocolBufferException {
        return change(JobStateChangedEvent.parseFrom(value));
    }

    private static JobStateChanged change(JobStateChangedEvent in) {
        JobState from = in.hasFrom() ? JobState.valueOf(in.getFrom()) : null;
        return new JobStateChanged(in.getVersion(), new UUID(in.getJobIdMsb(), in.getJobIdLsb()),
                new UUID(in.getOrganizationIdMsb(), in.getOrganizationIdLsb()), in.getQueueName(),
                from, in.hasTo() ? JobState.valueOf(in.getTo()) : null,
                in.hasCreatedAtNanos() ? instant(in.getCreatedAtNanos()) : null, in.getPriority(), in.getAttempts(),
                in.hasError() ? in.getError() : null, in.hasAtNanos() ? instant(in.getAtNanos()) : null,
                in.hasFromQueueName() ? in.getFromQueueName() : null,
                in.hasFromSinceNanos() ? instant(in.getFromSinceNanos()) : null,
                in.hasSinceNanos() ? instant(in.getSinceNanos()) : null);
    }

    static byte[] encode(AttemptRecorded attempt) {
        AttemptRecordedEvent.Builder out = AttemptRecordedEvent.newBuilder()
                .setAttemptIdMsb(attempt.attemptId().getMostSignificantBits())
                .setAttemptIdLsb(attempt.attemptId().getLeastSignificantBits())
                .setJobIdMsb(attempt.jobId().getMostSignificantBits())
                .setJobIdLsb(attempt.jobId().getLeastSignificantBits())
                .setDurationMs(attempt.durationMs())
                .setAttempt(attempt.attempt())
                .setDisablesEndpoint(attempt.disablesEndpoint());
        if (attempt.organizationId() != null) {
            out.setOrganizationIdMsb(attempt.organizationId().getMostSignificantBits())
                    .setOrganizationIdLsb(attempt.organizationId().getLeastSignificantBits());
        }
        if (attempt.endpointId() != null) {
            out.setEndpointIdMsb(attempt.endpointId().getMostSignificantBits())
                    .setEndpointIdLsb(attempt.endpointId().getLeastSignificantBits());
        }
        if (attempt.startedAt() != null) {
            out.setStartedAtNanos(nanos(attempt.startedAt()));
        }
        if (attempt.statusCode() != null) {
            out.setStatusCode(attempt.statusCode());
        }
        if (attempt.responseExcerpt() != null) {
            out.setResponseExcerpt(attempt.responseExcerpt());
        }
        if (attempt.errorClass() != null) {
            out.setErrorClass(attempt.errorClass());
        }
        if (attempt.error() != null) {
            out.setError(attempt.error());
        }
        if (attempt.jobState() != null) {
            out.setJobState(attempt.jobState().name());
        }
        if (attempt.worker() != null) {
            out.setWorker(attempt.worker());
        }
        if (attempt.nextAttemptAt() != null) {
            out.setNextAttemptAtNanos(nanos(attempt.nextAttemptAt()));
        }
        if (attempt.deadLetterReason() != null) {
            out.setDeadLetterReason(attempt.deadLetterReason());
        }
        if (attempt.queueName() != null) {
            out.setQueueName(attempt.queueName());
        }
        return out.build().toByteArray();
    }

    static AttemptRecorded decodeAttemptRecorded(byte[] value) throws InvalidProtocolBufferException {
        AttemptRecordedEvent in = AttemptRecordedEvent.parseFrom(value);
        return new AttemptRecorded(new UUID(in.getAttemptIdMsb(), in.getAttemptIdLsb()),
                new UUID(in.getJobIdMsb(), in.getJobIdLsb()),
                in.hasOrganizationIdMsb() ? new UUID(in.getOrganizationIdMsb(), in.getOrganizationIdLsb()) : null,
                in.hasEndpointIdMsb() ? new UUID(in.getEndpointIdMsb(), in.getEndpointIdLsb()) : null,
                in.hasStartedAtNanos() ? instant(in.getStartedAtNanos()) : null, in.getDurationMs(),
                in.hasStatusCode() ? in.getStatusCode() : null, in.hasResponseExcerpt() ? in.getResponseExcerpt() : null,
                in.hasErrorClass() ? in.getErrorClass() : null, in.hasError() ? in.getError() : null,
                in.hasJobState() ? JobState.valueOf(in.getJobState()) : null, in.hasWorker() ? in.getWorker() : null,
                in.getAttempt(), in.hasNextAttemptAtNanos() ? instant(in.getNextAttemptAtNanos()) : null,
                in.hasDeadLetterReason() ? in.getDeadLetterReason() : null, in.getDisablesEndpoint(),
                in.hasQueueName() ? in.getQueueName() : null);
    }

    /** Nanoseconds since the epoch: a signed 64-bit count reaches the year 2262. */
    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
    }
}
