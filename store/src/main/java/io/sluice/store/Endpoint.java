package io.sluice.store;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.webhook.SigningKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A webhook receiver of one organization.
 *
 * @param retrySchedule  its own retry delays; empty: the default schedule
 * @param disabledReason why it was disabled (410 Gone, sustained failure, or its owner); null while enabled
 * @param failingSince   when the current run of failed attempts began; null after a success
 * @param subscription   which messages it receives
 * @param headers        custom headers sent with each of its deliveries
 * @param ordering       whether its jobs go one at a time, in acceptance order
 * @param kind           whose events it receives: the organization's messages, Sluice's system events, or
 *                       the completion callbacks of the jobs that named it
 */
public record Endpoint(
        UUID id, UUID organizationId, String url, String description, SigningKeys signingKeys,
        boolean enabled, int timeoutMs, EndpointLimits limits, List<Duration> retrySchedule, String disabledReason,
        Instant disabledAt,
        Instant failingSince, Instant createdAt, Instant updatedAt, Subscription subscription,
        Map<String, String> headers, Ordering ordering, Kind kind) {

    /** Whose events an endpoint receives; the two never mix, so system events cannot feed on themselves. */
    public enum Kind {
        /** The organization's messages and the jobs it enqueues to it. */
        WEBHOOK,
        /** Sluice's system events (an "outgoing webhook"): its subscription names the system event types. */
        SYSTEM,
        /**
         * The callbacks of jobs created with a {@code completion_webhook}: made by Sluice for each
         * URL and secret an organization's jobs name, and not listed among its endpoints.
         */
        COMPLETION;

        /** Its name in {@code endpoints.kind}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** How an endpoint's jobs are sent. */
    public enum Ordering {
        /** As fast as its limits allow, in any order. */
        NONE,
        /** One at a time in acceptance order; a job waiting for a retry holds up the ones after it. */
        FIFO;

        /** Its name in the API and in {@code endpoints.ordering}: {@code none} or {@code fifo}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return the ordering of that wire name; empty for any other text */
        public static Optional<Ordering> fromWireName(String name) {
            return Arrays.stream(values()).filter(o -> o.wireName().equals(name)).findFirst();
        }
    }

    public Endpoint {
        retrySchedule = List.copyOf(retrySchedule);
        headers = Map.copyOf(headers);
    }

    /** A new, enabled endpoint. */
    public static Endpoint created(UUID id, UUID organizationId, String url, String description, String secret,
                                   int timeoutMs, EndpointLimits limits, List<Duration> retrySchedule,
                                   Subscription subscription, Map<String, String> headers, Ordering ordering,
                                   Instant now) {
        return new Endpoint(id, organizationId, url, description, SigningKeys.of(secret), true, timeoutMs, limits,
                retrySchedule, null, null, null, now, now, subscription, headers, ordering, Kind.WEBHOOK);
    }

    /**
     * A new, enabled receiver of system events: its name is kept as its description, and it
     * uses the default timeout, limits and retry schedule.
     */
    public static Endpoint forSystemEvents(UUID id, UUID organizationId, String url, String name, String secret,
                                           int timeoutMs, List<String> events, Instant now) {
        return new Endpoint(id, organizationId, url, name, SigningKeys.of(secret), true, timeoutMs,
                EndpointLimits.NONE, List.of(), null, null, null, now, now,
                new Subscription(events, List.of(), null), Map.of(), Ordering.NONE, Kind.SYSTEM);
    }

    /** The description of a completion endpoint whose secret the jobs naming it gave. */
    static final String SECRET_OF_THE_JOBS = "completion callbacks, signed with the secret their jobs gave";
    /** The description of a completion endpoint for jobs that gave no secret. */
    static final String SECRET_OF_SLUICE = "completion callbacks, signed with a secret Sluice generated";

    /**
     * A new receiver of job completion callbacks, with the default timeout, limits and retry schedule.
     *
     * @param secretGiven whether the jobs gave {@code secret}, or Sluice generated it for jobs that gave none
     */
    public static Endpoint forCompletions(UUID id, UUID organizationId, String url, String secret, boolean secretGiven,
                                          int timeoutMs, Instant now) {
        return new Endpoint(id, organizationId, url, secretGiven ? SECRET_OF_THE_JOBS : SECRET_OF_SLUICE,
                SigningKeys.of(secret), true, timeoutMs, EndpointLimits.NONE, List.of(), null, null, null, now, now,
                Subscription.ALL, Map.of(), Ordering.NONE, Kind.COMPLETION);
    }

    /** Enabled by its owner: its health record starts afresh. */
    public Endpoint enabledAgain(Instant now) {
        return new Endpoint(id, organizationId, url, description, signingKeys, true, timeoutMs, limits, retrySchedule,
                null, null, null, createdAt, now, subscription, headers, ordering, kind);
    }

    /** Disabled by its owner; its run of failures, if any, is kept. */
    public Endpoint disabledByOwner(Instant now) {
        return new Endpoint(id, organizationId, url, description, signingKeys, false, timeoutMs, limits, retrySchedule,
                "disabled by its owner", now, failingSince, createdAt, now, subscription, headers, ordering, kind);
    }

    /** Signing with a new key; the current one signs too until {@code graceEnd}. */
    public Endpoint withKeyRotatedTo(String next, Instant graceEnd, Instant now) {
        return new Endpoint(id, organizationId, url, description, signingKeys.rotatedTo(next, graceEnd), enabled,
                timeoutMs, limits, retrySchedule, disabledReason, disabledAt, failingSince, createdAt, now,
                subscription, headers, ordering, kind);
    }

    /** Its owner's settings changed; its state (enabled, health, keys) stays. */
    public Endpoint withSettings(String url, String description, int timeoutMs, EndpointLimits limits,
                                 List<Duration> retrySchedule, Subscription subscription, Map<String, String> headers,
                                 Ordering ordering, Instant now) {
        return new Endpoint(id, organizationId, url, description, signingKeys, enabled, timeoutMs, limits,
                retrySchedule, disabledReason, disabledAt, failingSince, createdAt, now, subscription, headers, ordering, kind);
    }
}
