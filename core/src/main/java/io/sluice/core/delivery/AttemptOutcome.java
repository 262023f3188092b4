package io.sluice.core.delivery;

import java.util.Set;

/**
 * What one HTTP attempt amounted to, decided from the status code or the error alone.
 * Retry timing and dead-lettering are decided from this by {@link RetryPolicy}.
 */
public sealed interface AttemptOutcome {

    /** The receiver accepted the delivery (2xx). */
    record Delivered(int statusCode) implements AttemptOutcome {
    }

    /** Any other answer, or none: recorded with a class of failure and a message. */
    record Failed(Integer statusCode, String errorClass, String message) implements AttemptOutcome {

        /** Error classes no retry can cure: the address is refused, the URL or the secret is unusable. */
        static final Set<String> PERMANENT_ERRORS = Set.of("ssrf_blocked", "invalid_url", "signing");

        /** No retry can cure it. */
        public boolean permanent() {
            return PERMANENT_ERRORS.contains(errorClass);
        }

        /**
         * The receiver is down, overloaded or unreachable (no answer, 429, 5xx): what endpoint
         * health counts against it. A 4xx is an answer from a live receiver, and a permanent
         * failure says nothing about the receiver at all.
         */
        public boolean receiverUnhealthy() {
            if (permanent()) {
                return false;
            }
            return statusCode == null || statusCode == 429 || statusCode >= 500;
        }
    }

    /** Decides from a received HTTP status. Redirects are failures: they are not followed. */
    static AttemptOutcome ofStatus(int statusCode) {
        if (statusCode >= 200 && statusCode < 300) {
            return new Delivered(statusCode);
        }
        return new Failed(statusCode, "http_status", "receiver answered HTTP " + statusCode);
    }

    /** Decides from a request that got no response. */
    static AttemptOutcome ofError(String errorClass, String message) {
        return new Failed(null, errorClass, message);
    }
}
