package io.sluice.ingest.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.job.Uuid7;
import io.sluice.core.webhook.SigningKey;
import io.sluice.core.webhook.SigningKeys;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.job.JobController;
import io.sluice.ingest.job.JobFactory;
import io.sluice.ingest.job.JobViews;
import io.sluice.ingest.message.PayloadFilters;
import io.sluice.ingest.relay.DirectoryPublisher;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.ingest.web.NameList;
import io.sluice.ingest.web.RetryScheduleInput;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import io.sluice.store.JobQuery;
import io.sluice.store.JobStore;
import io.sluice.store.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
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
    static final int MAX_GRACE_SECONDS = 7 * 24 * 3600;

    /**
     * {@code retry_schedule}: delays such as {@code ["1m", "10m", "1h"]}, each one of the retry
     * tiers. {@code event_types}: the event types it receives (absent or empty: all);
     * {@code channels}: when given, it receives only messages published to one of them.
     * {@code headers}: custom headers sent with every delivery. {@code signing_algorithm}:
     * {@code hmac-sha256} (the default) or {@code ed25519}. {@code ordering}: {@code none} (the
     * default) or {@code fifo}, one delivery at a time in acceptance order.
     */
    public record CreateEndpoint(String url, String description, Integer timeoutSeconds, Integer rateLimit,
                                 Integer maxConcurrency, List<String> retrySchedule, List<String> eventTypes,
                                 List<String> channels, JsonNode payloadFilter, Map<String, String> headers,
                                 String signingAlgorithm, String ordering) {
    }

    /**
     * A partial update: absent fields keep their value. {@code enabled: true} re-enables a
     * disabled endpoint; an empty {@code retry_schedule} returns it to the default schedule;
     * {@code headers} replaces all custom headers ({@code {}} removes them).
     */
    public record UpdateEndpoint(String url, String description, Integer timeoutSeconds, Integer rateLimit,
                                 Integer maxConcurrency, List<String> retrySchedule, Boolean enabled,
                                 List<String> eventTypes, List<String> channels, JsonNode payloadFilter,
                                 Map<String, String> headers, String ordering) {
    }

    /**
     * {@code grace_period_seconds}: how long the replaced key keeps signing (default
     * {@code sluice.ingest.secret-rotation-grace}; 0 revokes it at once, as after a leak).
     * {@code signing_algorithm}: switch to the other kind of key; absent keeps the current kind.
     */
    public record RotateSecret(Integer gracePeriodSeconds, String signingAlgorithm) {
    }

    /**
     * An endpoint with its health: {@code disabled_reason} and {@code disabled_at} say why and
     * when it was disabled; {@code failing_since} when its current run of failed attempts began.
     * {@code secret} is present only in the answer to its creation: what receivers verify with
     * (the shared secret, or the public key of an ed25519 pair).
     */
    public record EndpointView(UUID id, String url, String description,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String secret, String signingAlgorithm,
                               boolean enabled,
                               int timeoutSeconds, Integer rateLimit, Integer maxConcurrency, List<String> retrySchedule,
                               String disabledReason, Instant disabledAt, Instant failingSince, Instant createdAt,
                               Instant updatedAt, List<String> eventTypes, List<String> channels,
                               @JsonRawValue String payloadFilter, Map<String, String> headers, String ordering) {
        /** Without its secret: that is shown at creation and by {@code GET .../secret} only. */
        static EndpointView of(Endpoint e) {
            return of(e, null);
        }

        static EndpointView withSecret(Endpoint e) {
            return of(e, SigningKey.parse(e.signingKeys().current()).verificationKey());
        }

        private static EndpointView of(Endpoint e, String secret) {
            return new EndpointView(e.id(), e.url(), e.description(), secret,
                    SigningKey.Algorithm.of(e.signingKeys().current()).wireName(), e.enabled(),
                    e.timeoutMs() / 1000, e.limits().ratePerSecond(), e.limits().maxConcurrency(),
                    RetryScheduleInput.view(e.retrySchedule()),
                    e.disabledReason(), e.disabledAt(), e.failingSince(), e.createdAt(), e.updatedAt(),
                    e.subscription().eventTypes(), e.subscription().channels(), e.subscription().payloadFilter(),
                    e.headers(), e.ordering().wireName());
        }
    }

    /**
     * What receivers verify with, asked for explicitly: the shared secret ({@code whsec_}) or,
     * for ed25519, the public key ({@code whpk_}; the private key never leaves Sluice).
     * {@code previous_key_expires_at}: while a rotated-out key still signs, when it stops.
     */
    public record SecretView(String key, String signingAlgorithm,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Instant previousKeyExpiresAt) {
        static SecretView of(Endpoint endpoint, Instant now) {
            SigningKeys keys = endpoint.signingKeys();
            SigningKey current = SigningKey.parse(keys.current());
            return new SecretView(current.verificationKey(), current.algorithm().wireName(),
                    keys.previousSignsAt(now) ? keys.previousUntil() : null);
        }
    }

    private final EndpointStore endpoints;
    private final IngestProperties properties;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;
    private final EndpointUrls urls;
    private final RetryScheduleInput retrySchedules;
    private final DirectoryPublisher publisher;
    private final JobStore jobs;
    private final PayloadFilters payloadFilters;
    private final JobFactory jobFactory;

    public EndpointController(EndpointStore endpoints, IngestProperties properties, Uuid7 ids,
                              RandomGenerator secureRandom, Clock clock, EndpointUrls urls,
                              RetryScheduleInput retrySchedules, DirectoryPublisher publisher, JobStore jobs,
                              PayloadFilters payloadFilters, JobFactory jobFactory) {
        this.payloadFilters = payloadFilters;
        this.jobFactory = jobFactory;
        this.jobs = jobs;
        this.retrySchedules = retrySchedules;
        this.publisher = publisher;
        this.endpoints = endpoints;
        this.properties = properties;
        this.ids = ids;
        this.secureRandom = secureRandom;
        this.clock = clock;
        this.urls = urls;
    }

    @PostMapping("/api/v1/endpoints")
    @ResponseStatus(HttpStatus.CREATED)
    public EndpointView create(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                               @RequestBody CreateEndpoint request) {
        String url = urls.checked(request.url());
        checkedDescription(request.description());
        int timeoutSeconds = checkedTimeout(request.timeoutSeconds() == null
                ? (int) properties.defaultEndpointTimeout().toSeconds() : request.timeoutSeconds());
        SigningKey.Algorithm algorithm = checkedAlgorithm(request.signingAlgorithm(), SigningKey.Algorithm.HMAC_SHA256);
        Endpoint endpoint = Endpoint.created(ids.next(), organizationId, url, request.description(),
                algorithm.generate(secureRandom).toString(), timeoutSeconds * 1000,
                limits(request.rateLimit(), request.maxConcurrency()), retrySchedules.parse(request.retrySchedule()),
                new Subscription(NameList.checked("event_types", request.eventTypes(), MAX_NAMES),
                        NameList.checked("channels", request.channels(), MAX_NAMES),
                        payloadFilters.checked(request.payloadFilter())),
                EndpointHeaders.checked(request.headers()), checkedOrdering(request.ordering(), Endpoint.Ordering.NONE),
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
    public EndpointView update(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                               @PathVariable String id, @RequestBody UpdateEndpoint request) {
        Endpoint current = webhookEndpoint(endpoints, organizationId, id);
        String url = request.url() == null ? current.url() : urls.checked(request.url());
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
        Map<String, String> headers = request.headers() == null ? current.headers() : EndpointHeaders.checked(request.headers());
        Endpoint updated = current.withSettings(url, description, timeoutMs, limits, retrySchedule, subscription,
                headers, checkedOrdering(request.ordering(), current.ordering()), now);
        if (enabled != current.enabled()) {
            updated = enabled ? updated.enabledAgain(now) : updated.disabledByOwner(now);
        }
        if (!endpoints.update(updated)) {
            throw ApiException.notFound("Endpoint not found");
        }
        publisher.wake();
        return EndpointView.of(updated);
    }

    /**
     * Deletes an endpoint: it leaves the API and receives no new messages; its jobs not yet
     * delivered are dead-lettered ("endpoint deleted") rather than sent, and its jobs' history
     * stays readable.
     */
    @DeleteMapping("/api/v1/endpoints/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId, @PathVariable String id) {
        UUID endpointId = Ids.parse(id).orElseThrow(() -> ApiException.notFound("Endpoint not found"));
        if (!endpoints.delete(organizationId, Endpoint.Kind.WEBHOOK, endpointId, clock.instant())) {
            throw ApiException.notFound("Endpoint not found");
        }
        jobFactory.forgetEndpoint(endpointId);
        publisher.wake();
    }

    /**
     * Gives the endpoint a new signing key; the replaced key keeps signing (both entries in
     * {@code webhook-signature}) until the grace period ends.
     */
    @PostMapping("/api/v1/endpoints/{id}/secret/rotate")
    public SecretView rotateSecret(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                   @PathVariable String id, @RequestBody(required = false) RotateSecret request) {
        RotateSecret rotation = request == null ? new RotateSecret(null, null) : request;
        Endpoint current = webhookEndpoint(endpoints, organizationId, id);
        Duration grace = rotation.gracePeriodSeconds() == null
                ? properties.secretRotationGrace() : checkedGrace(rotation.gracePeriodSeconds());
        SigningKey.Algorithm algorithm = checkedAlgorithm(rotation.signingAlgorithm(),
                SigningKey.Algorithm.of(current.signingKeys().current()));
        Instant now = clock.instant();
        Endpoint rotated = current.withKeyRotatedTo(algorithm.generate(secureRandom).toString(), now.plus(grace), now);
        if (!endpoints.rotateKeys(organizationId, current.id(), current.signingKeys().current(), rotated.signingKeys(), now)) {
            throw ApiException.conflict("the endpoint's key changed while this rotation ran; read it and rotate again if needed");
        }
        publisher.wake();
        return SecretView.of(rotated, now);
    }

    private static Endpoint.Ordering checkedOrdering(String name, Endpoint.Ordering absent) {
        return name == null ? absent : Endpoint.Ordering.fromWireName(name).orElseThrow(() ->
                ApiException.validation("ordering must be none or fifo", Map.of("field", "ordering")));
    }

    private static Duration checkedGrace(int seconds) {
        if (seconds < 0 || seconds > MAX_GRACE_SECONDS) {
            throw ApiException.validation("grace_period_seconds must be between 0 and " + MAX_GRACE_SECONDS + " (7 days)",
                    Map.of("field", "grace_period_seconds"));
        }
        return Duration.ofSeconds(seconds);
    }

    private static SigningKey.Algorithm checkedAlgorithm(String name, SigningKey.Algorithm absent) {
        return name == null ? absent : SigningKey.Algorithm.fromWireName(name).orElseThrow(() ->
                ApiException.validation("signing_algorithm must be hmac-sha256 or ed25519",
                        Map.of("field", "signing_algorithm")));
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
    public List<EndpointView> list(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                   @RequestParam(defaultValue = "100") int limit,
                                   @RequestParam(defaultValue = "0") int offset) {
        return endpoints.list(organizationId, Endpoint.Kind.WEBHOOK, Math.clamp(limit, 1, 100), Math.max(offset, 0))
                .stream().map(EndpointView::of).toList();
    }

    /** The endpoint's deliveries, newest first ({@code status} filters, {@code limit} at most 100). */
    @GetMapping("/api/v1/endpoints/{id}/jobs")
    public List<JobViews.JobSummary> jobs(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                          @PathVariable String id,
                                          @RequestParam(required = false) String status,
                                          @RequestParam(defaultValue = "100") int limit,
                                          @RequestParam(defaultValue = "0") int offset) {
        Endpoint endpoint = webhookEndpoint(endpoints, organizationId, id);
        return jobs.list(new JobQuery(organizationId, null, endpoint.id(), JobController.checkedStatus(status),
                Math.clamp(limit, 1, 100),
                Math.max(offset, 0))).stream().map(JobViews.JobSummary::of).toList();
    }

    @GetMapping("/api/v1/endpoints/{id}/secret")
    public SecretView secret(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                             @PathVariable String id) {
        return SecretView.of(webhookEndpoint(endpoints, organizationId, id), clock.instant());
    }

    @GetMapping("/api/v1/endpoints/{id}")
    public EndpointView get(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                            @PathVariable String id) {
        return EndpointView.of(webhookEndpoint(endpoints, organizationId, id));
    }

    /**
     * The organization's webhook endpoint of that id (404 otherwise); outgoing webhooks have
     * their own routes. The endpoint routes of this package find theirs with it.
     */
    static Endpoint webhookEndpoint(EndpointStore endpoints, UUID organizationId, String id) {
        return Ids.parse(id).flatMap(uuid -> endpoints.get(organizationId, uuid))
                .filter(endpoint -> endpoint.kind() == Endpoint.Kind.WEBHOOK)
                .orElseThrow(() -> ApiException.notFound("Endpoint not found"));
    }
}
