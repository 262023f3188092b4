package io.sluice.ingest.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.job.Uuid7;
import io.sluice.core.net.SsrfGuard;
import io.sluice.core.webhook.WebhookSecret;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.ApiKeyFilter;
import io.sluice.ingest.job.JobController;
import io.sluice.ingest.job.JobViews;
import io.sluice.ingest.message.PayloadFilters;
import io.sluice.ingest.relay.EndpointPublisher;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.web.NameList;
import io.sluice.ingest.web.RetryScheduleInput;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import io.sluice.store.JobQuery;
import io.sluice.store.JobStore;
import io.sluice.store.Subscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Webhook endpoints: where jobs with an {@code endpoint_id} are POSTed. */
@RestController
public class EndpointController {

    static final int MAX_NAMES = 100;

    /**
     * {@code retry_schedule}: delays such as {@code ["1m", "10m", "1h"]}, each one of the retry
     * tiers. {@code event_types}: the event types it receives (absent or empty: all);
     * {@code channels}: when given, it receives only messages published to one of them.
     */
    public record CreateEndpoint(String url, String description, Integer timeoutSeconds, Integer rateLimit,
                                 Integer maxConcurrency, List<String> retrySchedule, List<String> eventTypes,
                                 List<String> channels, JsonNode payloadFilter) {
    }

    /**
     * A partial update: absent fields keep their value. {@code enabled: true} re-enables a
     * disabled endpoint; an empty {@code retry_schedule} returns it to the default schedule.
     */
    public record UpdateEndpoint(String url, String description, Integer timeoutSeconds, Integer rateLimit,
                                 Integer maxConcurrency, List<String> retrySchedule, Boolean enabled,
                                 List<String> eventTypes, List<String> channels, JsonNode payloadFilter) {
    }

    /**
     * An endpoint with its health: {@code disabled_reason} and {@code disabled_at} say why and
     * when it was disabled; {@code failing_since} when its current run of failed attempts began.
     * {@code secret} is present only in the answer to its creation.
     */
    public record EndpointView(UUID id, String url, String description,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String secret, boolean enabled,
                               int timeoutSeconds, Integer rateLimit, Integer maxConcurrency, List<String> retrySchedule,
                               String disabledReason, Instant disabledAt, Instant failingSince, Instant createdAt,
                               Instant updatedAt, List<String> eventTypes, List<String> channels,
                               @JsonRawValue String payloadFilter) {
        /** Without its secret: that is shown at creation and by {@code GET .../secret} only. */
        static EndpointView of(Endpoint e) {
            return of(e, null);
        }

        static EndpointView withSecret(Endpoint e) {
            return of(e, e.secret());
        }

        private static EndpointView of(Endpoint e, String secret) {
            return new EndpointView(e.id(), e.url(), e.description(), secret, e.enabled(),
                    e.timeoutMs() / 1000, e.limits().ratePerSecond(), e.limits().maxConcurrency(),
                    RetryScheduleInput.view(e.retrySchedule()),
                    e.disabledReason(), e.disabledAt(), e.failingSince(), e.createdAt(), e.updatedAt(),
                    e.subscription().eventTypes(), e.subscription().channels(), e.subscription().payloadFilter());
        }
    }

    /** The signing secret, asked for explicitly: {@code {key}}. */
    public record SecretView(String key) {
    }

    private final EndpointStore endpoints;
    private final IngestProperties properties;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;
    private final SsrfGuard ssrfGuard;
    private final RetryScheduleInput retrySchedules;
    private final EndpointPublisher publisher;
    private final JobStore jobs;
    private final PayloadFilters payloadFilters;

    public EndpointController(EndpointStore endpoints, IngestProperties properties, Uuid7 ids,
                              RandomGenerator secureRandom, Clock clock, SsrfGuard ssrfGuard,
                              RetryScheduleInput retrySchedules, EndpointPublisher publisher, JobStore jobs,
                              PayloadFilters payloadFilters) {
        this.payloadFilters = payloadFilters;
        this.jobs = jobs;
        this.retrySchedules = retrySchedules;
        this.publisher = publisher;
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
        checkedDescription(request.description());
        int timeoutSeconds = checkedTimeout(request.timeoutSeconds() == null
                ? (int) properties.defaultEndpointTimeout().toSeconds() : request.timeoutSeconds());
        Endpoint endpoint = Endpoint.created(ids.next(), organizationId, url, request.description(),
                WebhookSecret.generate(secureRandom).toString(), timeoutSeconds * 1000,
                limits(request.rateLimit(), request.maxConcurrency()), retrySchedules.parse(request.retrySchedule()),
                new Subscription(NameList.checked("event_types", request.eventTypes(), MAX_NAMES),
                        NameList.checked("channels", request.channels(), MAX_NAMES),
                        payloadFilters.checked(request.payloadFilter())),
                clock.instant());
        endpoints.create(endpoint);
        publisher.wake();
        return EndpointView.withSecret(endpoint);
    }

    /**
     * Changes an endpoint; PUT and PATCH both take a partial update. Enabling a disabled
     * endpoint clears its health record; jobs dead-lettered meanwhile stay in the dead-letter
     * queue until retried.
     */
    @RequestMapping(path = "/api/v1/endpoints/{id}", method = {RequestMethod.PATCH, RequestMethod.PUT})
    public EndpointView update(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                               @PathVariable String id, @RequestBody UpdateEndpoint request) {
        Endpoint current = Ids.parse(id).flatMap(uuid -> endpoints.get(organizationId, uuid))
                .orElseThrow(() -> ApiException.notFound("Endpoint not found"));
        String url = request.url() == null ? current.url() : checkedUrl(request.url());
        String description = request.description() == null ? current.description() : checkedDescription(request.description());
        int timeoutMs = request.timeoutSeconds() == null ? current.timeoutMs() : checkedTimeout(request.timeoutSeconds()) * 1000;
        EndpointLimits limits = limits(
                request.rateLimit() == null ? current.limits().ratePerSecond() : request.rateLimit(),
                request.maxConcurrency() == null ? current.limits().maxConcurrency() : request.maxConcurrency());
        List<Duration> retrySchedule = request.retrySchedule() == null
                ? current.retrySchedule() : retrySchedules.parse(request.retrySchedule());
        Instant now = clock.instant();
        boolean enabled = request.enabled() == null ? current.enabled() : request.enabled();
        Subscription subscription = new Subscription(
                request.eventTypes() == null ? current.subscription().eventTypes() : NameList.checked("event_types", request.eventTypes(), MAX_NAMES),
                request.channels() == null ? current.subscription().channels() : NameList.checked("channels", request.channels(), MAX_NAMES),
                request.payloadFilter() == null ? current.subscription().payloadFilter()
                        : payloadFilters.checked(request.payloadFilter()));
        Endpoint updated;
        if (enabled == current.enabled()) {
            updated = new Endpoint(current.id(), organizationId, url, description, current.secret(), enabled, timeoutMs,
                    limits, retrySchedule, current.disabledReason(), current.disabledAt(), current.failingSince(),
                    current.createdAt(), now, subscription);
        } else if (enabled) {
            updated = new Endpoint(current.id(), organizationId, url, description, current.secret(), true, timeoutMs,
                    limits, retrySchedule, null, null, null, current.createdAt(), now, subscription);
        } else {
            updated = new Endpoint(current.id(), organizationId, url, description, current.secret(), false, timeoutMs,
                    limits, retrySchedule, "disabled by its owner", now, current.failingSince(), current.createdAt(), now,
                    subscription);
        }
        if (!endpoints.update(updated)) {
            throw ApiException.notFound("Endpoint not found");
        }
        publisher.wake();
        return EndpointView.of(updated);
    }

    private static String checkedDescription(String description) {
        if (description != null && description.length() > 1000) {
            throw ApiException.validation("description must be at most 1000 characters", Map.of("field", "description"));
        }
        return description;
    }

    private static int checkedTimeout(int timeoutSeconds) {
        if (timeoutSeconds < 1 || timeoutSeconds > 60) {
            throw ApiException.validation("timeout_seconds must be between 1 and 60", Map.of("field", "timeout_seconds"));
        }
        return timeoutSeconds;
    }

    private static EndpointLimits limits(Integer rateLimit, Integer maxConcurrency) {
        try {
            return new EndpointLimits(rateLimit, maxConcurrency);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        }
    }

    @GetMapping("/api/v1/endpoints")
    public List<EndpointView> list(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                                   @RequestParam(defaultValue = "100") int limit,
                                   @RequestParam(defaultValue = "0") int offset) {
        return endpoints.list(organizationId, Math.clamp(limit, 1, 100), Math.max(offset, 0))
                .stream().map(EndpointView::of).toList();
    }

    /** The endpoint's deliveries, newest first ({@code status} filters, {@code limit} at most 100). */
    @GetMapping("/api/v1/endpoints/{id}/jobs")
    public List<JobViews.JobSummary> jobs(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                                          @PathVariable String id,
                                          @RequestParam(required = false) String status,
                                          @RequestParam(defaultValue = "100") int limit,
                                          @RequestParam(defaultValue = "0") int offset) {
        Endpoint endpoint = Ids.parse(id).flatMap(uuid -> endpoints.get(organizationId, uuid))
                .orElseThrow(() -> ApiException.notFound("Endpoint not found"));
        return jobs.list(new JobQuery(organizationId, null, endpoint.id(), JobController.checkedStatus(status),
                Math.clamp(limit, 1, 100),
                Math.max(offset, 0))).stream().map(JobViews.JobSummary::of).toList();
    }

    @GetMapping("/api/v1/endpoints/{id}/secret")
    public SecretView secret(@RequestAttribute(ApiKeyFilter.ORGANIZATION_ID) UUID organizationId,
                             @PathVariable String id) {
        return Ids.parse(id).flatMap(uuid -> endpoints.get(organizationId, uuid))
                .map(endpoint -> new SecretView(endpoint.secret()))
                .orElseThrow(() -> ApiException.notFound("Endpoint not found"));
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
