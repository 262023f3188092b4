package io.sluice.ingest.incoming;

import io.sluice.ingest.auth.ApiKeys;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.job.JobFactory;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.write.JobWriter;
import io.sluice.store.InsertedJob;
import io.sluice.store.JobRecord;
import io.sluice.store.JobStore;
import io.sluice.store.NewJob;
import io.sluice.store.OrganizationStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Jobs from third parties (Stripe, GitHub, any sender of webhooks): {@code POST
 * /api/v1/webhooks/{organization}/custom} with the organization's token in {@code
 * X-Webhook-Token} enqueues the body's payload like {@code POST /api/v1/jobs}. A sender's
 * re-send with the same {@code idempotency_key} creates nothing new. The organization reads,
 * regenerates and clears its token with an API key for all queues.
 */
@RestController
public class IncomingWebhookController {

    private static final String TOKEN_PREFIX = "whk_";

    public record IncomingJob(String queueName, String eventType, JsonNode payload, String idempotencyKey,
                              Integer priority) {
    }

    public record Enqueued(UUID jobId, String queueName, String status) {
    }

    public record WebhookToken(String token) {
    }

    private final OrganizationStore organizations;
    private final JobFactory factory;
    private final JobWriter writer;
    private final RandomGenerator secureRandom;
    private final JobStore jobs;

    public IncomingWebhookController(OrganizationStore organizations, JobFactory factory, JobWriter writer,
                                     RandomGenerator secureRandom, JobStore jobs) {
        this.jobs = jobs;
        this.organizations = organizations;
        this.factory = factory;
        this.writer = writer;
        this.secureRandom = secureRandom;
    }

    /**
     * 401 for a wrong or missing token, for an organization without one and for one that does
     * not exist alike: a sender learns nothing about which organizations there are. The event
     * type, when given, becomes the job's tag {@code event_type}.
     */
    @PostMapping("/api/v1/webhooks/{organizationId}/custom")
    public ResponseEntity<Enqueued> receive(@PathVariable String organizationId,
                                            @RequestHeader(name = "X-Webhook-Token", required = false) String token,
                                            @RequestBody IncomingJob request) {
        UUID organization = parse(organizationId);
        Optional<String> expected = organizations.webhookToken(organization);
        if (token == null || expected.isEmpty() || !MessageDigest.isEqual(
                expected.get().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthenticated("missing or wrong X-Webhook-Token");
        }
        JsonNode tags = request.eventType() == null ? null
                : JsonNodeFactory.instance.objectNode().put("event_type", request.eventType());
        NewJob job = factory.create(new Caller(organization, null, List.of(), null), new JobFactory.Spec(
                request.queueName(), factory.text(request.payload()), request.priority(), null, null, null, null, tags,
                request.idempotencyKey(), null));
        InsertedJob inserted = writer.write(List.of(job)).getFirst();
        if (inserted.created()) {
            return ResponseEntity.status(HttpStatus.CREATED).body(new Enqueued(inserted.id(), request.queueName(), "pending"));
        }
        // A re-send: the job its key took the first time, as it is now.
        String status = jobs.get(organization, inserted.id()).map(JobRecord::state).orElse("pending");
        return ResponseEntity.ok(new Enqueued(inserted.id(), request.queueName(), status));
    }

    @GetMapping("/api/v1/organizations/webhook-token")
    public WebhookToken token(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller) {
        return new WebhookToken(organizations.webhookToken(caller.organizationId()).orElse(null));
    }

    /** A new token replaces the old one at once: senders still using the old one get 401. */
    @PostMapping("/api/v1/organizations/webhook-token/regenerate")
    public WebhookToken regenerate(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller) {
        String token = ApiKeys.randomToken(TOKEN_PREFIX, secureRandom);
        organizations.setWebhookToken(caller.organizationId(), token);
        return new WebhookToken(token);
    }

    @PostMapping("/api/v1/organizations/webhook-token/clear")
    public WebhookToken clear(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller) {
        organizations.setWebhookToken(caller.organizationId(), null);
        return new WebhookToken(null);
    }

    private static UUID parse(String organizationId) {
        try {
            return UUID.fromString(organizationId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Organization not found");
        }
    }
}
