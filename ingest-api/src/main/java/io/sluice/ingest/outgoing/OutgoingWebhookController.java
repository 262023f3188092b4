package io.sluice.ingest.outgoing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sluice.core.job.Uuid7;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import io.sluice.core.webhook.WebhookSecret;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.endpoint.EndpointUrls;
import io.sluice.ingest.relay.DirectoryPublisher;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.AttemptRecord;
import io.sluice.store.DeadLetterStore;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import io.sluice.store.JobRecord;
import io.sluice.store.JobRetry;
import io.sluice.store.JobRetryResult;
import io.sluice.store.JobStore;
import io.sluice.store.OutgoingWebhookStore;
import io.sluice.store.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spooled's outgoing webhooks: receivers of system events ({@code job.completed},
 * {@code endpoint.disabled} ...). Each is an endpoint of kind {@code system}, so its events are
 * delivered like every webhook: durably, signed with its secret, retried, and visible as jobs.
 */
@RestController
public class OutgoingWebhookController {

    static final int MAX_NAME_LENGTH = 255;
    /** How long the test route waits for its attempt beyond the webhook's own timeout. */
    static final Duration TEST_SLACK = Duration.ofSeconds(10);
    private static final Duration TEST_POLL = Duration.ofMillis(50);

    public record CreateOutgoingWebhook(String name, String url, List<String> events, String secret, Boolean enabled) {
    }

    /** Every field optional: only those given change. */
    public record UpdateOutgoingWebhook(String name, String url, List<String> events, Boolean enabled) {
    }

    /**
     * {@code secret} (the Standard Webhooks key its deliveries are signed with) appears only in
     * the answer to its creation. {@code failure_count}: its deliveries in the dead-letter queue;
     * {@code last_status}: {@code success} or {@code failed}, of its latest attempted delivery.
     */
    public record OutgoingWebhookView(UUID id, UUID organizationId, String name, String url, List<String> events,
                                      boolean enabled, long failureCount, Instant lastTriggeredAt, String lastStatus,
                                      Instant createdAt, Instant updatedAt,
                                      @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {
        static OutgoingWebhookView of(Endpoint e, OutgoingWebhookStore.Activity activity, String secret) {
            String lastStatus = activity.lastDelivered() == null ? null : activity.lastDelivered() ? "success" : "failed";
            // An outgoing webhook's name is kept as its endpoint's description.
            return new OutgoingWebhookView(e.id(), e.organizationId(), e.description(), e.url(),
                    e.subscription().eventTypes(), e.enabled(), activity.failureCount(), activity.lastTriggeredAt(),
                    lastStatus, e.createdAt(), e.updatedAt(), secret);
        }
    }

    /** {@code status}: {@code pending} until delivered ({@code success}) or given up ({@code failed}). */
    public record DeliveryView(UUID id, UUID webhookId, String event, @JsonRawValue String payload, String status,
                               Integer statusCode, String responseBody, String error, int attempts,
                               Instant createdAt, Instant deliveredAt) {
        static DeliveryView of(OutgoingWebhookStore.Delivery d) {
            String status = switch (d.state()) {
                case "completed" -> "success";
                case "deadletter", "failed", "cancelled", "expired" -> "failed";
                default -> "pending";
            };
            return new DeliveryView(d.id(), d.webhookId(), d.event(), d.payload(), status, d.statusCode(),
                    d.responseBody(), d.error(), d.attempts(), d.createdAt(), d.deliveredAt());
        }
    }

    public record TestResult(boolean success, Integer statusCode, Long responseTimeMs,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    }

    public record RetryResult(boolean success, String message) {
    }

    private final EndpointStore endpoints;
    private final OutgoingWebhookStore outgoing;
    private final JobStore jobs;
    private final DeadLetterStore deadLetters;
    private final EndpointUrls urls;
    private final DirectoryPublisher publisher;
    private final OutboxRelay relay;
    private final IngestProperties properties;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;

    public OutgoingWebhookController(EndpointStore endpoints, OutgoingWebhookStore outgoing, JobStore jobs,
                                     DeadLetterStore deadLetters, EndpointUrls urls, DirectoryPublisher publisher,
                                     OutboxRelay relay, IngestProperties properties, Uuid7 ids,
                                     RandomGenerator secureRandom, Clock clock) {
        this.endpoints = endpoints;
        this.outgoing = outgoing;
        this.jobs = jobs;
        this.deadLetters = deadLetters;
        this.urls = urls;
        this.publisher = publisher;
        this.relay = relay;
        this.properties = properties;
        this.ids = ids;
        this.secureRandom = secureRandom;
        this.clock = clock;
    }

    @PostMapping("/api/v1/outgoing-webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    public OutgoingWebhookView create(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                      @RequestBody CreateOutgoingWebhook request) {
        String name = checkedName(request.name());
        String url = urls.checked(request.url());
        List<String> events = checkedEvents(request.events());
        String secret = request.secret() == null ? WebhookSecret.generate(secureRandom).toString()
                : checkedSecret(request.secret());
        Instant now = clock.instant();
        Endpoint webhook = Endpoint.forSystemEvents(ids.next(), organizationId, url, name, secret,
                (int) properties.defaultEndpointTimeout().toMillis(), events, now);
        if (Boolean.FALSE.equals(request.enabled())) {
            webhook = webhook.disabledByOwner(now);
        }
        endpoints.create(webhook);
        publisher.wake();
        return OutgoingWebhookView.of(webhook, OutgoingWebhookStore.Activity.NONE, secret);
    }

    @GetMapping("/api/v1/outgoing-webhooks")
    public List<OutgoingWebhookView> list(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                          @RequestParam(defaultValue = "100") int limit,
                                          @RequestParam(defaultValue = "0") int offset) {
        List<Endpoint> webhooks = endpoints.list(organizationId, Endpoint.Kind.SYSTEM, Math.clamp(limit, 1, 100),
                Math.max(offset, 0));
        Map<UUID, OutgoingWebhookStore.Activity> activity =
                outgoing.activity(organizationId, webhooks.stream().map(Endpoint::id).toList());
        return webhooks.stream().map(w -> OutgoingWebhookView.of(w, activity.get(w.id()), null)).toList();
    }

    @GetMapping("/api/v1/outgoing-webhooks/{id}")
    public OutgoingWebhookView get(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                   @PathVariable String id) {
        return view(webhook(organizationId, id));
    }

    @PutMapping("/api/v1/outgoing-webhooks/{id}")
    public OutgoingWebhookView update(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                      @PathVariable String id, @RequestBody UpdateOutgoingWebhook request) {
        Endpoint current = webhook(organizationId, id);
        Instant now = clock.instant();
        Endpoint updated = current.withSettings(
                request.url() == null ? current.url() : urls.checked(request.url()),
                request.name() == null ? current.description() : checkedName(request.name()),
                current.timeoutMs(), current.limits(), current.retrySchedule(),
                request.events() == null ? current.subscription()
                        : new Subscription(checkedEvents(request.events()), List.of(), null),
                current.headers(), current.ordering(), now);
        if (request.enabled() != null && request.enabled() != current.enabled()) {
            updated = request.enabled() ? updated.enabledAgain(now) : updated.disabledByOwner(now);
        }
        if (!endpoints.update(updated)) {
            throw notFound();
        }
        publisher.wake();
        return view(updated);
    }

    /** Sends no more events; deliveries not yet made are dead-lettered, and its history stays readable. */
    @DeleteMapping("/api/v1/outgoing-webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId, @PathVariable String id) {
        UUID webhookId = Ids.parse(id).orElseThrow(OutgoingWebhookController::notFound);
        if (!endpoints.delete(organizationId, Endpoint.Kind.SYSTEM, webhookId, clock.instant())) {
            throw notFound();
        }
        publisher.wake();
    }

    /**
     * Sends {@code {"event": "webhook.test", "data": {...}, "timestamp": ...}} through the
     * delivery pipeline (signed, SSRF-checked, one attempt, no retries) and answers with that
     * attempt. The delivery stays in its list like any other.
     */
    @PostMapping("/api/v1/outgoing-webhooks/{id}/test")
    public TestResult test(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                           @PathVariable String id) throws InterruptedException {
        Endpoint webhook = webhook(organizationId, id);
        if (!webhook.enabled()) {
            throw ApiException.conflict("Outgoing webhook is disabled; enable it to test it");
        }
        Instant now = clock.instant();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("webhook_id", webhook.id().toString());
        data.put("message", "This is a test event from Sluice");
        UUID delivery = outgoing.sendTo(webhook.id(),
                new SystemEvent(SystemEventType.WEBHOOK_TEST, organizationId, webhook.id(), now, data));
        relay.wake();
        Optional<AttemptRecord> attempt = firstAttempt(delivery,
                Duration.ofMillis(webhook.timeoutMs()).plus(TEST_SLACK));
        if (attempt.isEmpty()) {
            return new TestResult(false, null, null, "no attempt was made within "
                    + Duration.ofMillis(webhook.timeoutMs()).plus(TEST_SLACK).toSeconds()
                    + " s; delivery " + delivery + " is still queued (see its deliveries)");
        }
        AttemptRecord a = attempt.get();
        boolean success = a.statusCode() != null && a.statusCode() >= 200 && a.statusCode() < 300;
        return new TestResult(success, a.statusCode(), a.durationMs(), success ? null
                : a.error() != null ? a.error() : "the receiver answered " + a.statusCode());
    }

    private Optional<AttemptRecord> firstAttempt(UUID jobId, Duration wait) throws InterruptedException {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            List<AttemptRecord> attempts = jobs.attempts(jobId);
            if (!attempts.isEmpty()) {
                return Optional.of(attempts.getFirst());
            }
            if (clock.instant().isAfter(deadline)) {
                return Optional.empty();
            }
            Thread.sleep(TEST_POLL);
        }
    }

    /** Its deliveries, newest first, as a plain array. */
    @GetMapping("/api/v1/outgoing-webhooks/{id}/deliveries")
    public List<DeliveryView> deliveries(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                         @PathVariable String id,
                                         @RequestParam(defaultValue = "100") int limit,
                                         @RequestParam(defaultValue = "0") int offset) {
        Endpoint webhook = webhook(organizationId, id);
        return outgoing.deliveries(organizationId, webhook.id(), Math.clamp(limit, 1, 100), Math.max(offset, 0))
                .stream().map(DeliveryView::of).toList();
    }

    /** A failed delivery sent again now, with its retries reset. */
    @PostMapping("/api/v1/outgoing-webhooks/{id}/retry/{deliveryId}")
    public RetryResult retry(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                             @PathVariable String id, @PathVariable String deliveryId) {
        Endpoint webhook = webhook(organizationId, id);
        UUID delivery = Ids.parse(deliveryId)
                .filter(jobId -> jobs.get(organizationId, jobId).map(JobRecord::endpointId)
                        .filter(webhook.id()::equals).isPresent())
                .orElseThrow(() -> ApiException.notFound("Delivery not found"));
        return switch (deadLetters.retryJob(new JobRetry(organizationId, delivery))) {
            case JobRetryResult.Retried retried -> {
                relay.wake();
                yield new RetryResult(true, "Delivery " + delivery + " queued for another attempt");
            }
            case JobRetryResult.NotFound notFound -> throw ApiException.notFound("Delivery not found");
            case JobRetryResult.NotRetryable(var state) -> throw ApiException.conflict(
                    "Delivery is " + state.wireName() + "; only failed deliveries can be retried");
        };
    }

    private Endpoint webhook(UUID organizationId, String id) {
        return Ids.parse(id).flatMap(uuid -> endpoints.get(organizationId, uuid))
                .filter(endpoint -> endpoint.kind() == Endpoint.Kind.SYSTEM)
                .orElseThrow(OutgoingWebhookController::notFound);
    }

    private OutgoingWebhookView view(Endpoint webhook) {
        return OutgoingWebhookView.of(webhook,
                outgoing.activity(webhook.organizationId(), List.of(webhook.id())).get(webhook.id()), null);
    }

    private static ApiException notFound() {
        return ApiException.notFound("Outgoing webhook not found");
    }

    private static String checkedName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.validation("name is required", Map.of("field", "name"));
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.validation("name must be at most " + MAX_NAME_LENGTH + " characters",
                    Map.of("field", "name"));
        }
        return name;
    }

    private static List<String> checkedEvents(List<String> events) {
        if (events == null || events.isEmpty()) {
            throw ApiException.validation("events must name at least one system event", Map.of("field", "events"));
        }
        LinkedHashSet<String> checked = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String event : events) {
            SystemEventType.subscribable(event).ifPresentOrElse(type -> checked.add(type.wireName()),
                    () -> unknown.add(String.valueOf(event)));
        }
        if (!unknown.isEmpty()) {
            throw ApiException.validation("unknown system events " + unknown + "; known: " + SystemEventType.subscribableNames(),
                    Map.of("field", "events"));
        }
        return List.copyOf(checked);
    }

    /** A Standard Webhooks secret: the receiver verifies with exactly what it gave. */
    private static String checkedSecret(String secret) {
        try {
            return WebhookSecret.parse(secret).toString();
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("secret must be whsec_ followed by the base64 of 24 to 64 bytes ("
                    + e.getMessage() + ")", Map.of("field", "secret"));
        }
    }
}
