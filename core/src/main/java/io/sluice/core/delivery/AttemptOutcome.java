package io.sluice.core.delivery;

/**
 * What one HTTP attempt amounted to, decided from the status code or the error alone.
 * Retry timing and dead-lettering are decided from this by the retry policy (next issue).
 */
public sealed interface AttemptOutcome {

    /** The receiver accepted the delivery (2xx). */
    record Delivered(int statusCode) implements AttemptOutcome {
    }

    /** Any other answer, or none: recorded with a class of failure and a message. */
    record Failed(Integer statusCode, String errorClass, String message) implements AttemptOutcome {
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
