package io.sluice.ingest.endpoint;

import io.sluice.core.job.Uuid7;
import io.sluice.core.net.SsrfGuard;
import io.sluice.core.webhook.WebhookSecret;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.ApiKeyFilter;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Webhook endpoints: where jobs with an {@code endpoint_id} are POSTed. */
@RestController
public class EndpointController {

    public record CreateEndpoint(String url, String description, Integer timeoutSeconds) {
    }

    public record EndpointView(UUID id, String url, String description, String secret, boolean enabled,
                               int timeoutSeconds, Instant createdAt, Instant updatedAt) {
        static EndpointView of(Endpoint e) {
            return new EndpointView(e.id(), e.url(), e.description(), e.secret(), e.enabled(),
                    e.timeoutMs() / 1000, e.createdAt(), e.updatedAt());
        }
    }

    private final EndpointStore endpoints;
    private final IngestProperties properties;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;
    private final SsrfGuard ssrfGuard;

    public EndpointController(EndpointStore endpoints, IngestProperties properties, Uuid7 ids,
                              RandomGenerator secureRandom, Clock clock, SsrfGuard ssrfGuard) {
        this.endpoints = endpoints;
        this.properties = properties;
        this.ids = ids;
        this.secureRandom = secureRandom;
        this.clock = clock;
        this.ssrfGuard = ssrfGuard;
    }

    @PostMapping("/api/v1/endpoints")
    @ResponseStatus(HttpStatus.CREATED)
    public EndpointView create(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                               @RequestBody CreateEndpoint request) {
        String url = checkedUrl(request.url());
        if (request.description() != null && request.description().length() > 1000) {
            throw ApiException.validation("description must be at most 1000 characters");
        }
        int timeoutSeconds = request.timeoutSeconds() == null
                ? (int) properties.defaultEndpointTimeout().toSeconds() : request.timeoutSeconds();
        if (timeoutSeconds < 1 || timeoutSeconds > 60) {
            throw ApiException.validation("timeout_seconds must be between 1 and 60");
        }
        Instant now = clock.instant();
        Endpoint endpoint = new Endpoint(ids.next(), organizationId, url, request.description(),
                WebhookSecret.generate(secureRandom).toString(), true, timeoutSeconds * 1000, now, now);
        endpoints.create(endpoint);
        return EndpointView.of(endpoint);
    }

    @GetMapping("/api/v1/endpoints")
    public List<EndpointView> list(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                                   @RequestParam(defaultValue = "100") int limit,
                                   @RequestParam(defaultValue = "0") int offset) {
        return endpoints.list(organizationId, Math.clamp(limit, 1, 100), Math.max(offset, 0))
                .stream().map(EndpointView::of).toList();
    }

    @GetMapping("/api/v1/endpoints/{id}")
    public EndpointView get(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                            @PathVariable String id) {
        return Ids.parse(id).flatMap(uuid -> endpoints.get(organizationId, uuid))
                .map(EndpointView::of)
                .orElseThrow(() -> ApiException.notFound("Endpoint not found"));
    }

    private String checkedUrl(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.validation("url is required");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
                throw ApiException.validation("url must be an absolute http or https URL", Map.of("field", "url"));
            }
            if (url.length() > 2048) {
                throw ApiException.validation("url must be at most 2048 characters");
            }
            // A host name is vetted when each delivery resolves it; a literal address can be refused now.
            if (ssrfGuard.refusesLiteral(uri.getHost())) {
                throw ApiException.validation("url points to a loopback, private, link-local or reserved address;"
                        + " deliveries there are not allowed (see sluice.delivery.allowed-cidrs)", Map.of("field", "url"));
            }
            return url;
        } catch (URISyntaxException e) {
            throw ApiException.validation("url is not a valid URL: " + e.getReason(), Map.of("field", "url"));
        }
    }
}
