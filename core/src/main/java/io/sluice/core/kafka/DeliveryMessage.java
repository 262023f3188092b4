package io.sluice.core.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * One record on {@code sluice.deliveries}: the value is the exact body to POST (so what is
 * signed is what was stored), everything else travels in headers. The record key is the
 * job id.
 *
 * <p>The endpoint's URL and secret travel with the record so the worker needs no database;
 * the cost is that a secret rotated after enqueue is not seen by that record's attempts.
 */
public record DeliveryMessage(
        UUID jobId,
        UUID organizationId,
        UUID endpointId,
        String queue,
        String url,
        String secret,
        int timeoutMs,
        byte[] payload) {

    public static final String H_JOB_ID = "sluice-job-id";
    public static final String H_ORG_ID = "sluice-org-id";
    public static final String H_ENDPOINT_ID = "sluice-endpoint-id";
    public static final String H_QUEUE = "sluice-queue";
    public static final String H_URL = "sluice-url";
    public static final String H_SECRET = "sluice-secret";
    public static final String H_TIMEOUT_MS = "sluice-timeout-ms";

    public String key() {
        return jobId.toString();
    }

    /** Header name to value, in a stable order. */
    public Map<String, byte[]> headers() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(H_JOB_ID, utf8(jobId.toString()));
        headers.put(H_ORG_ID, utf8(organizationId.toString()));
        headers.put(H_ENDPOINT_ID, utf8(endpointId.toString()));
        headers.put(H_QUEUE, utf8(queue));
        headers.put(H_URL, utf8(url));
        headers.put(H_SECRET, utf8(secret));
        headers.put(H_TIMEOUT_MS, utf8(Integer.toString(timeoutMs)));
        return headers;
    }

    /**
     * Reads a record written by {@link #headers()}.
     *
     * @param header the last value of a header by name, or null when absent
     * @throws MalformedRecordException when a header is missing or unreadable
     */
    public static DeliveryMessage read(Function<String, byte[]> header, byte[] value) {
        try {
            return new DeliveryMessage(
                    UUID.fromString(required(header, H_JOB_ID)),
                    UUID.fromString(required(header, H_ORG_ID)),
                    UUID.fromString(required(header, H_ENDPOINT_ID)),
                    required(header, H_QUEUE),
                    required(header, H_URL),
                    required(header, H_SECRET),
                    Integer.parseInt(required(header, H_TIMEOUT_MS)),
                    value == null ? new byte[0] : value);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("unreadable delivery record: " + e.getMessage(), e);
        }
    }

    private static String required(Function<String, byte[]> header, String name) {
        byte[] bytes = header.apply(name);
        if (bytes == null) {
            throw new MalformedRecordException("delivery record without header " + name, null);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // Never print the secret or the payload.
        return "DeliveryMessage[job=" + jobId + ", endpoint=" + endpointId + ", url=" + url + "]";
    }
}
