package io.sluice.ingest.web;

import java.util.Map;

/** Names people give things (organizations, keys): 1 to 100 characters, trimmed. */
public final class DisplayName {

    private static final int MAX = 100;

    private DisplayName() {
    }

    public static String checked(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX) {
            throw ApiException.validation("name is required, at most " + MAX + " characters", Map.of("field", "name"));
        }
        return trimmed;
    }
}
