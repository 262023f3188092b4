package io.sluice.ingest.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.relay.DirectoryPublisher;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.QueueNames;
import io.sluice.ingest.web.RetryScheduleInput;
import io.sluice.store.JobDefaults;
import io.sluice.store.Queue;
import io.sluice.store.QueuePauseStore;
import io.sluice.store.QueueStats;
import io.sluice.store.QueueStore;
import io.sluice.store.WorkerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queues and their configuration (the Spooled queue routes). A queue's settings are defaults
 * for the jobs accepted into it afterwards: a job already accepted keeps what it was given.
 */
@RestController
public class QueueController {

    static final int MAX_SETTINGS_BYTES = 64 * 1024;
    /** Jobs per second; 0 in a configuration removes the limit. */
    static final int MAX_RATE_LIMIT = 100_000;

    /**
     * A partial update: absent (or null) fields keep their value. {@code retry_schedule} is
     * Sluice's: delays drawn from the retry tiers; an empty list returns to the default schedule.
     */
    public record ConfigureQueue(Integer maxRetries, Integer defaultTimeout, Integer rateLimit, Boolean enabled,
                                 JsonNode settings, List<String> retrySchedule) {
    }

    /** A line of the queue list, as Spooled clients read it. */
    public record QueueSummary(String queueName, int maxRetries, int defaultTimeout, Integer rateLimit,
                               boolean enabled, List<String> retrySchedule) {
    }

    /**
     * A queue with its effective settings: where the queue names none, the value Sluice applies
     * ({@code max_retries}: one per delay of the schedule; {@code default_timeout}: the default
     * endpoint timeout, since an HTTP delivery without a job or queue timeout gets its endpoint's).
     * {@code paused_at} and {@code pause_reason} are null unless it is paused.
     */
    public record QueueView(UUID id, UUID organizationId, String queueName, int maxRetries, int defaultTimeout,
                            Integer rateLimit, boolean enabled, JsonNode settings, List<String> retrySchedule,
                            Instant createdAt, Instant updatedAt, boolean paused, Instant pausedAt,
                            String pauseReason) {
    }

    /** A worker silent this long is as good as gone (the lease reaper's default too). */
    static final Duration ACTIVE_WITHIN = Duration.ofMinutes(2);

    private final QueueStore queues;
    private final RetryScheduleInput retrySchedules;
    private final JobDefaults jobDefaults;
    private final IngestProperties properties;
    private final JsonMapper json;
    private final WorkerStore workers;
    private final Clock clock;
    private final QueuePauseStore pauses;
    private final DirectoryPublisher directoryPublisher;

    public QueueController(QueueStore queues, RetryScheduleInput retrySchedules, JobDefaults jobDefaults,
                           IngestProperties properties, JsonMapper json, WorkerStore workers, Clock clock,
                           QueuePauseStore pauses, DirectoryPublisher directoryPublisher) {
        this.pauses = pauses;
        this.directoryPublisher = directoryPublisher;
        this.workers = workers;
        this.clock = clock;
        this.queues = queues;
        this.retrySchedules = retrySchedules;
        this.jobDefaults = jobDefaults;
        this.properties = properties;
        this.json = json;
    }

    @GetMapping("/api/v1/queues")
    public List<QueueSummary> list(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                   @RequestParam(defaultValue = "100") int limit,
                                   @RequestParam(defaultValue = "0") int offset) {
        return queues.list(caller.organizationId(), caller.queueScope(), Math.clamp(limit, 1, 100),
                        Math.max(offset, 0)).stream()
                .map(q -> new QueueSummary(q.name(), maxRetries(q), defaultTimeout(q), q.rateLimit(), q.enabled(),
                        RetryScheduleInput.view(q.retrySchedule())))
                .toList();
    }

    @GetMapping("/api/v1/queues/{name}")
    public QueueView get(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                         @PathVariable String name) {
        return queues.get(caller.organizationId(), checkedName(caller, name)).map(this::view)
                .orElseThrow(() -> ApiException.notFound("Queue not found"));
    }

    /**
     * {@code active_workers} counts the queue's external workers not offline that were heard
     * from within {@link #ACTIVE_WITHIN}.
     */
    public record QueueStatsView(String queueName, long pendingJobs, long processingJobs,
                                 @JsonProperty("completed_jobs_24h") long completedJobs24h,
                                 @JsonProperty("failed_jobs_24h") long failedJobs24h, double avgProcessingTimeMs,
                                 long maxJobAgeSeconds, int activeWorkers) {
    }

    @GetMapping("/api/v1/queues/{name}/stats")
    public QueueStatsView stats(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                @PathVariable String name) {
        Queue queue = queues.get(caller.organizationId(), checkedName(caller, name))
                .orElseThrow(() -> ApiException.notFound("Queue not found"));
        QueueStats stats = queues.stats(caller.organizationId(), queue.name());
        return new QueueStatsView(queue.name(), stats.pendingJobs(), stats.processingJobs(), stats.completedJobs24h(),
                stats.failedJobs24h(), Math.round(stats.avgProcessingTimeMs() * 10) / 10.0, stats.maxJobAgeSeconds(),
                workers.countActive(caller.organizationId(), queue.name(), clock.instant().minus(ACTIVE_WITHIN)));
    }

    /**
     * Removes the queue's configuration, pause and rate limit; with {@code delete_jobs=true} also
     * every job in it (a delivery already on its way may still be made: pause first to hold
     * those). Without it, a queue with jobs still to run is refused (409).
     */
    @DeleteMapping("/api/v1/queues/{name}")
    public ResponseEntity<Void> remove(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                       @PathVariable String name,
                                       @RequestParam(name = "delete_jobs", defaultValue = "false") boolean deleteJobs) {
        QueueStore.Removal removal = queues.remove(caller.organizationId(), checkedName(caller, name), deleteJobs,
                directoryPublisher::forgetQueue);
        return switch (removal) {
            case QueueStore.Removal.NotFound notFound -> throw ApiException.notFound("Queue not found");
            case QueueStore.Removal.HasUnfinishedJobs unfinished -> throw ApiException.conflict("queue '" + name
                    + "' has " + unfinished.count() + " jobs still to run; delete_jobs=true removes them with it");
            case QueueStore.Removal.Removed removed -> ResponseEntity.noContent().build();
        };
    }

    /** Creates the queue when it does not exist yet, as Spooled does. */
    @PutMapping("/api/v1/queues/{name}/config")
    public QueueView configure(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                               @PathVariable String name, @RequestBody ConfigureQueue request) {
        checkedName(caller, name);
        Integer maxRetries = within("max_retries", request.maxRetries(), 0, 100);
        Integer defaultTimeout = within("default_timeout", request.defaultTimeout(), 1, 86_400);
        Integer rateLimit = within("rate_limit", request.rateLimit(), 0, MAX_RATE_LIMIT);
        if (Boolean.FALSE.equals(request.enabled())) {
            throw ApiException.validation("enabled: false is not supported; to stop a queue, pause it: POST /api/v1/queues/"
                    + name + "/pause", Map.of("field", "enabled"));
        }
        String settings = null;
        if (request.settings() != null && !request.settings().isNull()) {
            if (!request.settings().isObject()) {
                throw ApiException.validation("settings must be a JSON object", Map.of("field", "settings"));
            }
            settings = json.writeValueAsString(request.settings());
            if (settings.length() > MAX_SETTINGS_BYTES) {
                throw ApiException.validation("settings must be at most 64 KB of JSON", Map.of("field", "settings"));
            }
        }
        List<Duration> retrySchedule = request.retrySchedule() == null ? null : retrySchedules.parse(request.retrySchedule());
        String newSettings = settings;
        Queue configured = queues.configure(caller.organizationId(), name, current -> new Queue(current.id(),
                caller.organizationId(), name,
                maxRetries == null ? current.maxRetries() : maxRetries,
                defaultTimeout == null ? current.defaultTimeout() : defaultTimeout,
                rateLimit == null ? current.rateLimit() : rateLimit == 0 ? null : rateLimit, current.enabled(),
                newSettings == null ? current.settings() : newSettings,
                retrySchedule == null ? current.retrySchedule() : retrySchedule,
                current.createdAt(), current.updatedAt()));
        directoryPublisher.wake();
        return view(configured);
    }

    private QueueView view(Queue q) {
        Optional<QueuePauseStore.Paused> paused = pauses.paused(q.organizationId(), q.name());
        return new QueueView(q.id(), q.organizationId(), q.name(), maxRetries(q), defaultTimeout(q), q.rateLimit(),
                q.enabled(), json.readTree(q.settings()), RetryScheduleInput.view(q.retrySchedule()),
                q.createdAt(), q.updatedAt(), paused.isPresent(), paused.map(QueuePauseStore.Paused::pausedAt).orElse(null),
                paused.map(QueuePauseStore.Paused::reason).orElse(null));
    }

    private int maxRetries(Queue q) {
        return q.maxRetries() == null ? jobDefaults.maxRetries() : q.maxRetries();
    }

    private int defaultTimeout(Queue q) {
        return q.defaultTimeout() == null ? (int) properties.defaultEndpointTimeout().toSeconds() : q.defaultTimeout();
    }

    /** A valid queue name the caller's key may use (else 400, or 403 outside its scope). */
    private static String checkedName(Caller caller, String name) {
        caller.requireQueue(QueueNames.checked(name));
        return name;
    }

    private static Integer within(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw ApiException.validation(field + " must be between " + min + " and " + max, Map.of("field", field));
        }
        return value;
    }
}
