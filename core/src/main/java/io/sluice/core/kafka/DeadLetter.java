package io.sluice.core.kafka;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * A record on {@code sluice.dlq}: the delivery as it was last attempted (payload, headers,
 * every attempt's summary) plus why and when it was given up. Topic replay reads these
 * back; the job id is the key, as on every delivery topic.
 */
public record DeadLetter(DeliveryMessage delivery, String reason, Instant deadAt) {

    public static final String H_REASON = "sluice-dead-reason";
    public static final String H_DEAD_AT = "sluice-dead-at";

    public Map<String, byte[]> headers() {
        Map<String, byte[]> headers = delivery.headers();
        headers.put(H_REASON, DeliveryMessage.utf8(reason));
        headers.put(H_DEAD_AT, DeliveryMessage.utf8(Long.toString(deadAt.toEpochMilli())));
        return headers;
    }

    /** @throws MalformedRecordException when the record is not a dead letter Sluice wrote */
    public static DeadLetter read(Function<String, byte[]> header, byte[] value) {
        DeliveryMessage delivery = DeliveryMessage.read(header, value);
        try {
            return new DeadLetter(delivery, DeliveryMessage.required(header, H_REASON),
                    Instant.ofEpochMilli(Long.parseLong(DeliveryMessage.required(header, H_DEAD_AT))));
        } catch (NumberFormatException e) {
            throw new MalformedRecordException("unreadable dead letter: " + e.getMessage(), e);
        }
    }
}
