package io.sluice.ingest.endpoint;

import io.sluice.core.net.SsrfGuard;
import io.sluice.ingest.web.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The check of a receiver's URL, for endpoints and outgoing webhooks alike. Every refusal
 * says "Invalid webhook URL" first, as the Spooled contract expects.
 */
@Component
public class EndpointUrls {

    static final int MAX_LENGTH = 2048;

    private final SsrfGuard ssrfGuard;

    public EndpointUrls(SsrfGuard ssrfGuard) {
        this.ssrfGuard = ssrfGuard;
    }

    /** @throws ApiException 400 naming what is wrong with it */
    public String checked(String url) {
        return checked(url, "url");
    }

    /** As {@link #checked(String)}, for a URL given in the request field {@code field}. */
    public String checked(String url, String field) {
        if (url == null || url.isBlank()) {
            throw invalid(field, field + " is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw invalid(field, field + " must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(field, field + " is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
            throw invalid(field, field + " must be an absolute http or https URL");
        }
        // A host name is vetted when each delivery resolves it; a literal address can be refused now.
        if (ssrfGuard.refusesLiteral(uri.getHost())) {
            throw invalid(field, field + " points to a loopback, private, link-local or reserved address;"
                    + " deliveries there are not allowed (see sluice.delivery.allowed-cidrs)");
        }
        return url;
    }

    private static ApiException invalid(String field, String problem) {
        return ApiException.validation("Invalid webhook URL: " + problem, Map.of("field", field));
    }
}
