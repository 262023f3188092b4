package io.sluice.ingest.web;

import java.util.Map;

/** The idempotency key of a job or a message, as either API receives it. */
public final class IdempotencyKeys {

    static final int MAX_CHARS = 255;

    private IdempotencyKeys() {
    }

    /**
     * @return the key; null when the request has none
     * @throws ApiException 400 when it is empty or longer than 255 characters
     */
    public static String checked(String key) {
        if (key != null && (key.isEmpty() || key.length() > MAX_CHARS)) {
            throw ApiException.validation("idempotency_key must be 1-255 characters", Map.of("field", "idempotency_key"));
        }
        return key;
    }
}
