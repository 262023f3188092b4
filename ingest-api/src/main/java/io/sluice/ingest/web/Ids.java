package io.sluice.ingest.web;

import java.util.Optional;
import java.util.UUID;

/** Parses ids from paths and bodies; a malformed id simply matches nothing (clients expect 404, not 400). */
public final class Ids {

    private Ids() {
    }

    public static Optional<UUID> parse(String text) {
        if (text == null || text.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
