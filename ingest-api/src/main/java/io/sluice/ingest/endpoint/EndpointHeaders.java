package io.sluice.ingest.endpoint;

import io.sluice.ingest.web.ApiException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An endpoint's custom headers as a request gives them: HTTP tokens for names, single-line
 * values, and none of the headers Sluice itself sets or that change how HTTP carries the
 * request.
 */
final class EndpointHeaders {

    static final int MAX_HEADERS = 20;
    static final int MAX_VALUE_CHARS = 1_000;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final Set<String> RESERVED = Set.of(
            "webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length",
            "content-encoding", "host", "user-agent", "connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "expect", "cookie", "proxy-authorization", "proxy-connection");

    private EndpointHeaders() {
    }

    /**
     * @return the headers in their order; empty for null
     * @throws ApiException 400 naming the header at fault
     */
    static Map<String, String> checked(Map<String, String> headers) {
        if (headers == null) {
            return Map.of();
        }
        if (headers.size() > MAX_HEADERS) {
            throw invalid("headers holds at most " + MAX_HEADERS + " entries");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (!TOKEN.matcher(name).matches()) {
                throw invalid("header name '" + name + "' is not an HTTP token of 1-100 characters");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (RESERVED.contains(lower) || lower.startsWith("sluice-")) {
                throw invalid("header " + name + " is set by Sluice or by HTTP itself and cannot be replaced");
            }
            if (!seen.add(lower)) {
                throw invalid("header " + name + " is given twice (names are case-insensitive)");
            }
            if (value == null || value.length() > MAX_VALUE_CHARS || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw invalid("header " + name + " needs a value of at most " + MAX_VALUE_CHARS
                        + " characters without line breaks or control characters");
            }
            checked.put(name, value);
        }
        return checked;
    }

    private static ApiException invalid(String message) {
        return ApiException.validation(message, Map.of("field", "headers"));
    }
}
