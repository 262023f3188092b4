package io.sluice.core.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sluice.core.delivery.AttemptSummary;
import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.webhook.SigningKeys;
import io.sluice.proto.deliveries.v1.DeliveryHeader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The protobuf form ({@code deliveries.proto}) of what a delivery record carries besides its
 * payload, in its one {@link DeliveryMessage#H_DELIVERY} header. Every field maps one to one;
 * nulls are absent optional fields.
 */
final class BinaryDeliveries {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private BinaryDeliveries() {
    }

    static byte[] encode(DeliveryMessage message) {
        DeliveryHeader.Builder out = DeliveryHeader.newBuilder()
                .setJobIdMsb(message.jobId().getMostSignificantBits())
                .setJobIdLsb(message.jobId().getLeastSignificantBits())
                .setOrganizationIdMsb(message.organizationId().getMostSignificantBits())
                .setOrganizationIdLsb(message.organizationId().getLeastSignificantBits())
                .setEndpointIdMsb(message.endpointId().getMostSignificantBits())
                .setEndpointIdLsb(message.endpointId().getLeastSignificantBits())
                .setQueue(message.queue())
                .setUrl(message.url())
                .setSecret(message.signingKeys().current())
                .putAllEndpointHeaders(message.endpointHeaders())
                .setTimeoutMs(message.timeoutMs())
                .setEndpointVersion(message.endpointVersion())
                .setAttempt(message.attempt())
                .setMaxRetries(message.maxRetries())
                .setSlotReserved(message.slotReserved())
                .setQueueSlotReserved(message.queueSlotReserved());
        if (message.signingKeys().previous() != null) {
            out.setPreviousSecret(message.signingKeys().previous());
        }
        if (message.signingKeys().previousUntil() != null) {
            out.setPreviousSecretUntilMillis(message.signingKeys().previousUntil().toEpochMilli());
        }
        if (message.limits().ratePerSecond() != null) {
            out.setRatePerSecond(message.limits().ratePerSecond());
        }
        if (message.limits().maxConcurrency() != null) {
            out.setMaxConcurrency(message.limits().maxConcurrency());
        }
        for (Duration delay : message.retrySchedule()) {
            out.addRetryScheduleMillis(delay.toMillis());
        }
        if (message.dueAt() != null) {
            out.setDueAtMillis(message.dueAt().toEpochMilli());
        }
        for (AttemptSummary made : message.history()) {
            out.addHistory(encode(made));
        }
        return out.build().toByteArray();
    }

    /** @throws MalformedRecordException when the bytes are not a delivery header */
    static DeliveryMessage decode(byte[] header, byte[] payload) {
        DeliveryHeader in;
        try {
            in = DeliveryHeader.parseFrom(header);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedRecordException("unreadable delivery header: " + e.getMessage(), e);
        }
        if (in.getUrl().isEmpty() || in.getSecret().isEmpty()) {
            throw new MalformedRecordException("delivery header without a url or a signing secret", null);
        }
        List<Duration> schedule = new ArrayList<>(in.getRetryScheduleMillisCount());
        for (long millis : in.getRetryScheduleMillisList()) {
            schedule.add(Duration.ofMillis(millis));
        }
        List<AttemptSummary> history = new ArrayList<>(in.getHistoryCount());
        for (io.sluice.proto.deliveries.v1.AttemptSummary made : in.getHistoryList()) {
            history.add(decode(made));
        }
        return new DeliveryMessage(
                new UUID(in.getJobIdMsb(), in.getJobIdLsb()),
                new UUID(in.getOrganizationIdMsb(), in.getOrganizationIdLsb()),
                new UUID(in.getEndpointIdMsb(), in.getEndpointIdLsb()),
                in.getQueue(),
                in.getUrl(),
                new SigningKeys(in.getSecret(), in.hasPreviousSecret() ? in.getPreviousSecret() : null,
                        in.hasPreviousSecretUntilMillis() ? Instant.ofEpochMilli(in.getPreviousSecretUntilMillis()) : null),
                in.getEndpointHeadersMap(),
                in.getTimeoutMs(),
                new EndpointLimits(in.hasRatePerSecond() ? in.getRatePerSecond() : null,
                        in.hasMaxConcurrency() ? in.getMaxConcurrency() : null),
                in.getEndpointVersion(),
                schedule,
                in.getAttempt(),
                in.getMaxRetries(),
                in.hasDueAtMillis() ? Instant.ofEpochMilli(in.getDueAtMillis()) : null,
                history,
                in.getSlotReserved(),
                in.getQueueSlotReserved(),
                payload == null ? new byte[0] : payload);
    }

    private static io.sluice.proto.deliveries.v1.AttemptSummary encode(AttemptSummary made) {
        io.sluice.proto.deliveries.v1.AttemptSummary.Builder out = io.sluice.proto.deliveries.v1.AttemptSummary.newBuilder()
                .setAttempt(made.attempt())
                .setDurationMs(made.durationMs());
        if (made.startedAt() != null) {
            out.setStartedAtNanos(made.startedAt().getEpochSecond() * NANOS_PER_SECOND + made.startedAt().getNano());
        }
        if (made.statusCode() != null) {
            out.setStatusCode(made.statusCode());
        }
        if (made.errorClass() != null) {
            out.setErrorClass(made.errorClass());
        }
        if (made.error() != null) {
            out.setError(made.error());
        }
        return out.build();
    }

    private static AttemptSummary decode(io.sluice.proto.deliveries.v1.AttemptSummary in) {
        return new AttemptSummary(in.getAttempt(),
                in.hasStartedAtNanos() ? Instant.ofEpochSecond(0, in.getStartedAtNanos()) : null,
                in.getDurationMs(),
                in.hasStatusCode() ? in.getStatusCode() : null,
                in.hasErrorClass() ? in.getErrorClass() : null,
                in.hasError() ? in.getError() : null);
    }
}
