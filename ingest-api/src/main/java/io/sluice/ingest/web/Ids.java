package io.sluice.ingest.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Parses ids: one from a path that is malformed simply matches nothing (clients expect 404, not 400); a list in a body must hold only ids (400). */
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

    /**
     * Every text as an id, in order.
     *
     * @throws ApiException 400 naming {@code field} and the texts that are not ids
     */
    public static List<UUID> requireAll(List<String> texts, String field) {
        List<UUID> ids = new ArrayList<>(texts.size());
        List<String> invalid = new ArrayList<>();
        for (String text : texts) {
            parse(text).ifPresentOrElse(ids::add, () -> invalid.add(String.valueOf(text)));
        }
        if (!invalid.isEmpty()) {
            throw ApiException.validation(field + " must be UUIDs", Map.of("field", field, "invalid", invalid));
        }
        return ids;
    }
}
