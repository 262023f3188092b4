package io.sluice.ingest.web;

import io.sluice.core.job.QueueName;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A list of names in a request (event types, channels): each valid as a queue name, duplicates dropped. */
public final class NameList {

    private NameList() {
    }

    /**
     * @return the names in their first order without repeats; empty for null
     * @throws ApiException 400 naming {@code field} when there are more than {@code max} or one is invalid
     */
    public static List<String> checked(String field, List<String> names, int max) {
        if (names == null) {
            return List.of();
        }
        if (names.size() > max) {
            throw ApiException.validation(field + " holds at most " + max + " names", Map.of("field", field));
        }
        for (String name : names) {
            String problem = QueueName.problemWith(name, field + " entry");
            if (problem != null) {
                throw ApiException.validation(problem, Map.of("field", field));
            }
        }
        return List.copyOf(new LinkedHashSet<>(names));
    }
}
