package io.sluice.ingest.message;

import io.sluice.core.message.PayloadFilter;
import io.sluice.ingest.web.ApiException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Endpoints' payload filters ({@link PayloadFilter}): checked when an endpoint is written,
 * applied to each message's payload at publish. Parsed filters are kept by their text.
 */
@Component
public class PayloadFilters {

    static final int MAX_FILTER_BYTES = 16 * 1024;
    /** Filters kept parsed; beyond, the cache starts over. */
    private static final int CACHED = 10_000;

    private final JsonMapper json;
    private final Map<String, PayloadFilter> parsed = new ConcurrentHashMap<>();

    public PayloadFilters(JsonMapper json) {
        this.json = json;
    }

    /**
     * @return the filter as stored: JSON text, or null for none (absent, null or {@code {}})
     * @throws ApiException 400 with the reason when it is not a filter of the language
     */
    public String checked(JsonNode filter) {
        if (filter == null || filter.isNull() || (filter.isObject() && filter.isEmpty())) {
            return null;
        }
        String text = json.writeValueAsString(filter);
        if (text.length() > MAX_FILTER_BYTES) {
            throw ApiException.validation("payload_filter must be at most 16 KB of JSON", Map.of("field", "payload_filter"));
        }
        try {
            PayloadFilter.parse(filter);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("payload_filter: " + e.getMessage(), Map.of("field", "payload_filter"));
        }
        return text;
    }

    /** @param filter a stored filter, or null (every payload is accepted) */
    boolean accepts(String filter, JsonNode payload) {
        if (filter == null) {
            return true;
        }
        if (parsed.size() > CACHED) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(filter, text -> PayloadFilter.parse(json.readTree(text))).matches(payload);
    }
}
