package io.sluice.ingest.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.handler;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.kafka.Topics;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.job.JobController;
import io.sluice.ingest.job.JobFactory;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.web.ApiErrorHandler;
import io.sluice.ingest.write.JobWriter;
import io.sluice.core.delivery.EndpointLimits;
import io.sluice.store.DeadLetterStore;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import io.sluice.store.JobDefaults;
import io.sluice.store.JobStore;
import io.sluice.store.NewJob;
import io.sluice.store.ProjectionStore;
import io.sluice.store.Subscription;
import io.sluice.testkit.RealServers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.sluice.ingest.job.FullJobViews;
import io.sluice.ingest.job.VisibleJobs;
import io.sluice.store.DependencyStore;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dead-letter routes next to the job routes, as the app maps them (snake_case JSON, the
 * error handler), on real PostgreSQL. The relay is a mock: only whether it is woken matters.
 */
class DeadLetterControllerTest {

    private final TestDatabase db = TestDatabase.get();
    private final Clock clock = Clock.systemUTC();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final ProjectionStore projection = new ProjectionStore(db.jdbc, db.tx, clock, db.systemEvents(clock));
    private final OutboxRelay relay = mock(OutboxRelay.class);
    private final UUID org = db.newOrganization();
    private final UUID endpoint = UUID.randomUUID();
    private final VisibleJobs visibleJobs = new VisibleJobs(jobs);
    private final FullJobViews fullJobViews = new FullJobViews(jobs,
            new DependencyStore(db.jdbc, db.tx, db.systemEvents(clock), clock));
    private final MockMvc mvc = MockMvcBuilders
            .standaloneSetup(
                    new DeadLetterController(new DeadLetterStore(db.jdbc, db.tx, clock), jobs, relay, replayer(),
                            new EndpointStore(db.jdbc), visibleJobs, fullJobViews, clock),
                    new JobController(mock(JobFactory.class), mock(JobWriter.class), jobs,
                            new io.sluice.store.CancellationStore(db.jdbc, db.tx, db.systemEvents(clock), clock),
                            mock(io.sluice.ingest.relay.DirectoryPublisher.class),
                            new IngestProperties(1 << 20, 1000, Duration.ofHours(24), Duration.ofSeconds(15), Duration.ofHours(24),
                                    new IngestProperties.GroupCommit(2, 1000, 10_000, Duration.ofSeconds(30)), 2000),
                            visibleJobs, fullJobViews))
            .setControllerAdvice(new ApiErrorHandler())
            .setMessageConverters(new JacksonJsonHttpMessageConverter(JsonMapper.builder()
                    .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build()))
            .build();

    @Test
    void theDeadLetterListIsNotTakenForAJobId() throws Exception {
        // given
        UUID dead = deadLetteredJob("emails");
        pendingJob("emails");

        // when / then
        mvc.perform(as(org, get("/api/v1/jobs/dlq").param("queue_name", "emails")))
                .andExpect(status().isOk())
                .andExpect(handler().handlerType(DeadLetterController.class))
                .andExpect(jsonPath("$[*].id", contains(dead.toString())))
                .andExpect(jsonPath("$[0].status").value("deadletter"))
                .andExpect(jsonPath("$[0].queue_name").value("emails"));
        mvc.perform(as(org, get("/api/v1/jobs/" + dead)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("deadletter"));
    }

    @Test
    void retryingTheDeadLetterQueueAnswersTheRetriedJobsAndWakesTheRelay() throws Exception {
        // given
        UUID dead = deadLetteredJob("emails");

        // when / then: a route of its own, not the retry of a job called "dlq"
        mvc.perform(as(org, post("/api/v1/jobs/dlq/retry")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"queue_name\": \"emails\", \"limit\": 10}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.retried_count").value(1))
                .andExpect(jsonPath("$.retried_jobs", contains(dead.toString())));
        verify(relay).wake();
        mvc.perform(as(org, get("/api/v1/jobs/" + dead))).andExpect(jsonPath("$.status").value("pending"));
    }

    @Test
    void retryingTheDeadLetterQueueWithAnEmptyBodyRetriesNothingWhenNothingIsDead() throws Exception {
        mvc.perform(as(org, post("/api/v1/jobs/dlq/retry")).contentType(MediaType.APPLICATION_JSON))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.retried_count").value(0));
        verify(relay, never()).wake();
    }

    @Test
    void aRetryLimitOutOfRangeOrAMalformedJobIdIsAValidationError() throws Exception {
        for (String body : List.of("{\"limit\": 0}", "{\"limit\": 101}", "{\"job_ids\": [\"not-a-uuid\"]}")) {
            mvc.perform(as(org, post("/api/v1/jobs/dlq/retry")).contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.code").value("VALIDATION_ERROR"));
        }
    }

    @Test
    void purgeWithoutConfirmIsRefusedAndWithItDeletes() throws Exception {
        // given
        UUID dead = deadLetteredJob("emails");

        // when / then
        mvc.perform(as(org, post("/api/v1/jobs/dlq/purge")).contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("VALIDATION_ERROR"))
                .andExpect(jsonPath("$.message", containsString("confirm must be true")));
        mvc.perform(as(org, post("/api/v1/jobs/dlq/purge")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"confirm\": true, \"limit\": 10001}"))
                .andExpect(status().isBadRequest());
        mvc.perform(as(org, post("/api/v1/jobs/dlq/purge")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"confirm\": true, \"queue_name\": \"emails\", \"older_than\": \""
                                + clock.instant().plusSeconds(60) + "\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.purged_count").value(1));
        mvc.perform(as(org, get("/api/v1/jobs/" + dead))).andExpect(status().isNotFound());
    }

    @Test
    void retryingOneDeadLetteredJobAnswersTheJobPending() throws Exception {
        // given
        UUID dead = deadLetteredJob("emails");

        // when / then: with no body, as clients send it
        mvc.perform(as(org, post("/api/v1/jobs/" + dead + "/retry")).contentType(MediaType.APPLICATION_JSON))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(dead.toString()))
                .andExpect(jsonPath("$.status").value("pending"))
                .andExpect(jsonPath("$.retry_count").value(0))
                .andExpect(jsonPath("$.attempts.length()").value(1));
        verify(relay).wake();
    }

    @Test
    void retryingOneJobIsAConflictWhenItIsNotGivenUpAndNotFoundWhenItIsNotOurs() throws Exception {
        // given
        UUID pending = pendingJob("emails");
        UUID dead = deadLetteredJob("emails");

        // when / then
        mvc.perform(as(org, post("/api/v1/jobs/" + pending + "/retry")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("CONFLICT"));
        mvc.perform(as(UUID.randomUUID(), post("/api/v1/jobs/" + dead + "/retry")))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("NOT_FOUND"));
        mvc.perform(as(org, post("/api/v1/jobs/" + UUID.randomUUID() + "/retry"))).andExpect(status().isNotFound());
        mvc.perform(as(org, post("/api/v1/jobs/not-a-job/retry"))).andExpect(status().isNotFound());
        verify(relay, never()).wake();
    }

    @Test
    void aReplayWithAMalformedEndpointOrAnEmptyWindowIsAValidationError() throws Exception {
        Instant now = clock.instant();
        for (String body : List.of("{\"endpoint_id\": \"nope\"}", "{\"from\": \"" + now + "\", \"to\": \"" + now + "\"}",
                "{\"from\": \"yesterday\"}", "{\"limit\": 10001}")) {
            mvc.perform(as(org, post("/api/v1/jobs/dlq/replay")).contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.code").value("VALIDATION_ERROR"));
        }
    }

    @Test
    void aReplayBeforeAnythingWasDeadLetteredFindsNothing() throws Exception {
        // when / then: this test's DLQ topic was never created
        mvc.perform(as(org, post("/api/v1/jobs/dlq/replay")).contentType(MediaType.APPLICATION_JSON))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.scanned").value(0))
                .andExpect(jsonPath("$.matched").value(0))
                .andExpect(jsonPath("$.replayed").value(0));
    }

    @Test
    void recoveringAnEndpointRetriesItsDeliveriesDeadSinceTheGivenTime() throws Exception {
        // given: two dead-lettered deliveries of the endpoint, one of them before `since`
        new EndpointStore(db.jdbc).create(Endpoint.created(endpoint, org, "https://receiver.test/recover", null,
                "whsec_dGVzdA", 5_000, EndpointLimits.NONE, List.of(), Subscription.ALL, java.util.Map.of(),
                Endpoint.Ordering.NONE, clock.instant()));
        UUID older = deadLetteredJob("emails");
        Thread.sleep(20);
        Instant since = clock.instant();
        Thread.sleep(20);
        UUID newer = deadLetteredJob("emails");

        // when / then
        mvc.perform(as(org, post("/api/v1/endpoints/" + endpoint + "/recover")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"since\":\"" + since + "\"}")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.retried_count").value(1))
                .andExpect(jsonPath("$.retried_jobs[0]").value(newer.toString()));
        assertThat(jobs.get(org, newer).orElseThrow().state()).isEqualTo("pending");
        assertThat(jobs.get(org, older).orElseThrow().state()).isEqualTo("deadletter");
        verify(relay).wake();

        // and bad requests get clear answers
        mvc.perform(as(org, post("/api/v1/endpoints/" + endpoint + "/recover")
                        .contentType(MediaType.APPLICATION_JSON).content("{}")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.message").value(containsString("since")));
        mvc.perform(as(org, post("/api/v1/endpoints/" + endpoint + "/recover")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"since\":\"" + clock.instant().plusSeconds(3600) + "\"}")))
                .andExpect(status().isBadRequest());
        mvc.perform(as(db.newOrganization(), post("/api/v1/endpoints/" + endpoint + "/recover")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"since\":\"" + since + "\"}")))
                .andExpect(status().isNotFound());
    }

    private DeadLetterReplayer replayer() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(RealServers.get().bootstrapServers()));
        return new DeadLetterReplayer(kafka,
                new Topics("controller-" + UUID.randomUUID(), 1, 1, (short) 1, List.of(), Duration.ofDays(1)),
                new DeadLetterStore(db.jdbc, db.tx, clock), relay,
                new ReplayProperties(Duration.ofSeconds(30), 100, Duration.ofMinutes(5)), clock);
    }

    private static MockHttpServletRequestBuilder as(UUID organizationId, MockHttpServletRequestBuilder request) {
        return request.requestAttr(AuthenticationFilter.ORGANIZATION_ID, organizationId)
                .requestAttr(AuthenticationFilter.CALLER, new Caller(organizationId, UUID.randomUUID(), List.of(), null));
    }

    private UUID pendingJob(String queue) {
        NewJob job = new NewJob(ids.next(), org, queue, "{}", endpoint, 0, 0, null, null, null, null, null);
        jobs.insertBatch(List.of(job), Duration.ofHours(1));
        return job.id();
    }

    private UUID deadLetteredJob(String queue) {
        UUID job = pendingJob(queue);
        projection.recordAttempts(List.of(new AttemptRecorded(ids.next(), job, org, endpoint, clock.instant(), 12,
                500, "boom", "http_status", "HTTP 500 from receiver", JobState.DEADLETTER, "worker-1", 1, null,
                "gave up after 1 attempt", false)));
        return job;
    }
}
