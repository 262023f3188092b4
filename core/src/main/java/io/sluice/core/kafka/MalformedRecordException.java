package io.sluice.core.kafka;

/** A record that cannot be read in any way; retrying it will not help. */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
