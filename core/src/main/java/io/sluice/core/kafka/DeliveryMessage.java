package io.sluice.core.kafka;

import io.sluice.core.delivery.AttemptSummary;
import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.webhook.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One record on {@code sluice.deliveries}, a retry tier or the dead-letter topic: the value
 * is the exact body to POST (so what is signed is what was stored), everything else
 * travels in headers. The record key is the job id.
 *
 * <p>The endpoint's URL, signing keys, custom headers and limits travel with the record so the
 * worker needs no database. They are the endpoint as it was when the record was written; a worker that knows a
 * newer version of the endpoint (from {@code sluice.endpoints}) uses that instead
 * ({@link #withEndpoint}).
 *
 * @param endpointHeaders the endpoint's custom headers, sent with every attempt
 * @param limits     the endpoint's rate and concurrency limits, enforced by the worker
 * @param endpointVersion the version of the endpoint the URL, keys, headers and limits are from (0: unknown)
 * @param retrySchedule the endpoint's own retry delays; empty: the default schedule
 * @param attempt    the attempt this record is for, from 1 (reset to 1 by a manual retry)
 * @param maxRetries attempts allowed after the first
 * @param dueAt      when the attempt may start; null for the first attempt (at once)
 * @param history    the attempts made so far, oldest first (at most {@link #MAX_HISTORY})
 * @param slotReserved the endpoint's rate limit already granted this attempt its start time (dueAt):
 *                   it must not be counted against the limit a second time
 * @param queueSlotReserved the same for the queue's rate limit: kept until the attempt is made
 */
public record DeliveryMessage(
        UUID jobId,
        UUID organizationId,
        UUID endpointId,
        String queue,
        String url,
        SigningKeys signingKeys,
        Map<String, String> endpointHeaders,
        int timeoutMs,
        EndpointLimits limits,
        long endpointVersion,
        List<Duration> retrySchedule,
        int attempt,
        int maxRetries,
        Instant dueAt,
        List<AttemptSummary> history,
        boolean slotReserved,
        boolean queueSlotReserved,
        byte[] payload) {

    public static final String H_JOB_ID = "sluice-job-id";
    public static final String H_ORG_ID = "sluice-org-id";
    public static final String H_ENDPOINT_ID = "sluice-endpoint-id";
    public static final String H_QUEUE = "sluice-queue";
    public static final String H_URL = "sluice-url";
    public static final String H_SECRET = "sluice-secret";
    public static final String H_PREVIOUS_SECRET = "sluice-previous-secret";
    public static final String H_PREVIOUS_SECRET_UNTIL = "sluice-previous-secret-until";
    public static final String H_ENDPOINT_HEADERS = "sluice-endpoint-headers";
    public static final String H_TIMEOUT_MS = "sluice-timeout-ms";
    public static final String H_ATTEMPT = "sluice-attempt";
    public static final String H_MAX_RETRIES = "sluice-max-retries";
    public static final String H_DUE_AT = "sluice-due-at";
    public static final String H_HISTORY = "sluice-attempts";
    public static final String H_RATE_LIMIT = "sluice-rate-limit";
    public static final String H_MAX_CONCURRENCY = "sluice-max-concurrency";
    public static final String H_SLOT_RESERVED = "sluice-slot-reserved";
    public static final String H_QUEUE_SLOT_RESERVED = "sluice-queue-slot-reserved";
    public static final String H_RETRY_SCHEDULE = "sluice-retry-schedule";
    public static final String H_ENDPOINT_VERSION = "sluice-endpoint-version";

    /** max_retries is at most 100; the newest summaries are the ones worth keeping. */
    public static final int MAX_HISTORY = 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<AttemptSummary>> HISTORY = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    public DeliveryMessage {
        endpointHeaders = Map.copyOf(endpointHeaders);
        retrySchedule = List.copyOf(retrySchedule);
        history = List.copyOf(history);
    }

    /** The first attempt of a job: due at once, nothing tried yet. */
    public static DeliveryMessage first(UUID jobId, UUID organizationId, UUID endpointId, String queue, String url,
                                        SigningKeys signingKeys, Map<String, String> endpointHeaders, int timeoutMs, EndpointLimits limits, long endpointVersion,
                                        List<Duration> retrySchedule, int maxRetries, byte[] payload) {
        return new DeliveryMessage(jobId, organizationId, endpointId, queue, url, signingKeys, endpointHeaders, timeoutMs, limits,
                endpointVersion, retrySchedule, 1, maxRetries, null, List.of(), false, false, payload);
    }

    /**
     * The same delivery, to make attempt {@code attempt} next: a delivery parked while its
     * queue was paused continues where it stopped (its earlier attempts are in PostgreSQL).
     */
    public DeliveryMessage atAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        return new DeliveryMessage(jobId, organizationId, endpointId, queue, url, signingKeys, endpointHeaders, timeoutMs,
                limits, endpointVersion, retrySchedule, attempt, maxRetries, dueAt, history, slotReserved, queueSlotReserved,
                payload);
    }

    /** The record of the next attempt, due at {@code due}, remembering the one just made. */
    public DeliveryMessage next(AttemptSummary made, Instant due) {
        return new DeliveryMessage(jobId, organizationId, endpointId, queue, url, signingKeys, endpointHeaders, timeoutMs, limits,
                endpointVersion, retrySchedule, attempt + 1, maxRetries, due, historyWith(made), false, false, payload);
    }

    /**
     * This attempt again, not made yet, due at {@code due}: the endpoint could not take it now.
     *
     * @param slotReserved the rate limit reserved {@code due} for it
     */
    public DeliveryMessage deferredTo(Instant due, boolean slotReserved) {
        return new DeliveryMessage(jobId, organizationId, endpointId, queue, url, signingKeys, endpointHeaders, timeoutMs, limits,
                endpointVersion, retrySchedule, attempt, maxRetries, due, history, slotReserved, queueSlotReserved, payload);
    }

    /** This attempt again, not made yet, at {@code due}: the start time its queue's rate limit reserved for it. */
    public DeliveryMessage deferredByQueueTo(Instant due) {
        return new DeliveryMessage(jobId, organizationId, endpointId, queue, url, signingKeys, endpointHeaders, timeoutMs, limits,
                endpointVersion, retrySchedule, attempt, maxRetries, due, history, false, true, payload);
    }

    /** This record with the attempt just made added to its history: what the dead-letter topic keeps. */
    public DeliveryMessage withHistory(AttemptSummary made) {
        return new DeliveryMessage(jobId, organizationId, endpointId, queue, url, signingKeys, endpointHeaders, timeoutMs, limits,
                endpointVersion, retrySchedule, attempt, maxRetries, null, historyWith(made), false, false, payload);
    }

    /**
     * This record aimed at the endpoint as {@code endpoint} describes it, when that is a newer
     * version than the one the record carries; otherwise this record.
     */
    public DeliveryMessage withEndpoint(EndpointSnapshot endpoint) {
        if (!endpoint.id().equals(endpointId) || endpoint.version() <= endpointVersion) {
            return this;
        }
        return new DeliveryMessage(jobId, organizationId, endpointId, queue, endpoint.url(), endpoint.signingKeys(),
                endpoint.headersOrNone(), timeoutMs, endpoint.limits(), endpoint.version(), retrySchedule, attempt, maxRetries, dueAt, history,
                slotReserved, queueSlotReserved, payload);
    }

    private List<AttemptSummary> historyWith(AttemptSummary made) {
        List<AttemptSummary> longer = new ArrayList<>(history);
        longer.add(made);
        return longer.size() > MAX_HISTORY ? longer.subList(longer.size() - MAX_HISTORY, longer.size()) : longer;
    }

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
        headers.put(H_SECRET, utf8(signingKeys.current()));
        if (signingKeys.previous() != null) {
            headers.put(H_PREVIOUS_SECRET, utf8(signingKeys.previous()));
            headers.put(H_PREVIOUS_SECRET_UNTIL, utf8(Long.toString(signingKeys.previousUntil().toEpochMilli())));
        }
        if (!endpointHeaders.isEmpty()) {
            headers.put(H_ENDPOINT_HEADERS, JSON.writeValueAsBytes(endpointHeaders));
        }
        headers.put(H_TIMEOUT_MS, utf8(Integer.toString(timeoutMs)));
        if (limits.ratePerSecond() != null) {
            headers.put(H_RATE_LIMIT, utf8(limits.ratePerSecond().toString()));
        }
        if (limits.maxConcurrency() != null) {
            headers.put(H_MAX_CONCURRENCY, utf8(limits.maxConcurrency().toString()));
        }
        if (endpointVersion > 0) {
            headers.put(H_ENDPOINT_VERSION, utf8(Long.toString(endpointVersion)));
        }
        if (!retrySchedule.isEmpty()) {
            headers.put(H_RETRY_SCHEDULE, utf8(RetrySchedule.labels(retrySchedule)));
        }
        headers.put(H_ATTEMPT, utf8(Integer.toString(attempt)));
        headers.put(H_MAX_RETRIES, utf8(Integer.toString(maxRetries)));
        if (dueAt != null) {
            headers.put(H_DUE_AT, utf8(Long.toString(dueAt.toEpochMilli())));
        }
        if (!history.isEmpty()) {
            headers.put(H_HISTORY, JSON.writeValueAsBytes(history));
        }
        if (slotReserved) {
            headers.put(H_SLOT_RESERVED, utf8("true"));
        }
        if (queueSlotReserved) {
            headers.put(H_QUEUE_SLOT_RESERVED, utf8("true"));
        }
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
            String due = optional(header, H_DUE_AT);
            byte[] history = header.apply(H_HISTORY);
            String rate = optional(header, H_RATE_LIMIT);
            String concurrency = optional(header, H_MAX_CONCURRENCY);
            String schedule = optional(header, H_RETRY_SCHEDULE);
            String endpointVersion = optional(header, H_ENDPOINT_VERSION);
            String previousSecret = optional(header, H_PREVIOUS_SECRET);
            String previousUntil = optional(header, H_PREVIOUS_SECRET_UNTIL);
            byte[] endpointHeaders = header.apply(H_ENDPOINT_HEADERS);
            return new DeliveryMessage(
                    UUID.fromString(required(header, H_JOB_ID)),
                    UUID.fromString(required(header, H_ORG_ID)),
                    UUID.fromString(required(header, H_ENDPOINT_ID)),
                    required(header, H_QUEUE),
                    required(header, H_URL),
                    new SigningKeys(required(header, H_SECRET), previousSecret,
                            previousUntil == null ? null : Instant.ofEpochMilli(Long.parseLong(previousUntil))),
                    endpointHeaders == null ? Map.of() : JSON.readValue(endpointHeaders, HEADERS),
                    Integer.parseInt(required(header, H_TIMEOUT_MS)),
                    new EndpointLimits(rate == null ? null : Integer.valueOf(rate),
                            concurrency == null ? null : Integer.valueOf(concurrency)),
                    endpointVersion == null ? 0 : Long.parseLong(endpointVersion),
                    schedule == null ? List.of() : RetrySchedule.durations(schedule),
                    Integer.parseInt(required(header, H_ATTEMPT)),
                    Integer.parseInt(required(header, H_MAX_RETRIES)),
                    due == null ? null : Instant.ofEpochMilli(Long.parseLong(due)),
                    history == null ? List.of() : JSON.readValue(history, HISTORY),
                    "true".equals(optional(header, H_SLOT_RESERVED)),
                    "true".equals(optional(header, H_QUEUE_SLOT_RESERVED)),
                    value == null ? new byte[0] : value);
        } catch (IllegalArgumentException | NullPointerException | JacksonException e) {
            throw new MalformedRecordException("unreadable delivery record: " + e.getMessage(), e);
        }
    }

    static String required(Function<String, byte[]> header, String name) {
        String text = optional(header, name);
        if (text == null) {
            throw new MalformedRecordException("delivery record without header " + name, null);
        }
        return text;
    }

    static String optional(Function<String, byte[]> header, String name) {
        byte[] bytes = header.apply(name);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // Never print a key, a custom header (it may hold a credential) or the payload.
        return "DeliveryMessage[job=" + jobId + ", endpoint=" + endpointId + ", attempt=" + attempt + ", url=" + url + "]";
    }
}
