package io.sluice.ingest.schedule;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sluice.core.job.Uuid7;
import io.sluice.core.schedule.CronExpression;
import io.sluice.core.schedule.MisfirePolicy;
import io.sluice.core.schedule.OverlapPolicy;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.job.JobFactory;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.NewJob;
import io.sluice.store.Schedule;
import io.sluice.store.ScheduleRun;
import io.sluice.store.ScheduleStore;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cron schedules ({@code /api/v1/schedules}): each occurrence of the expression, in the
 * schedule's time zone, creates a job from its template (the scheduler fires them). A schedule
 * belongs to its queue for key scopes: a key reaches the schedules of the queues it reaches.
 */
@RestController
public class ScheduleController {

    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_METADATA_BYTES = 64 * 1024;

    /** {@code POST}: the Spooled fields plus {@code endpoint_id}, {@code misfire_policy}, {@code overlap_policy}. */
    public record CreateSchedule(String name, String description, String cronExpression, String timezone,
                                 String queueName, JsonNode payloadTemplate, Integer priority, Integer maxRetries,
                                 Integer timeoutSeconds, JsonNode tags, JsonNode metadata, String endpointId,
                                 String misfirePolicy, String overlapPolicy, Boolean isActive) {
    }

    /** {@code PUT}: every field optional; a changed expression, zone or activity moves {@code next_run_at}. */
    public record UpdateSchedule(String name, String description, String cronExpression, String timezone,
                                 String queueName, JsonNode payloadTemplate, Integer priority, Integer maxRetries,
                                 Integer timeoutSeconds, JsonNode tags, JsonNode metadata, String endpointId,
                                 String misfirePolicy, String overlapPolicy, Boolean isActive) {
    }

    public record ScheduleView(UUID id, UUID organizationId, String name, String description, String cronExpression,
                               String timezone, String queueName, UUID endpointId,
                               @JsonRawValue String payloadTemplate, int priority, Integer maxRetries,
                               Integer timeoutSeconds, boolean isActive, Instant lastRunAt, Instant nextRunAt,
                               long runCount, @JsonRawValue String tags, @JsonRawValue String metadata,
                               String misfirePolicy, String overlapPolicy, Instant createdAt, Instant updatedAt) {
        static ScheduleView of(Schedule s) {
            return new ScheduleView(s.id(), s.organizationId(), s.name(), s.description(), s.cronExpression(),
                    s.timezone(), s.queueName(), s.endpointId(), s.payloadTemplate(), s.priority(), s.maxRetries(),
                    s.timeoutSeconds(), s.active(), s.lastRunAt(), s.nextRunAt(), s.runCount(), s.tags(), s.metadata(),
                    s.misfirePolicy().wireName(), s.overlapPolicy().wireName(), s.createdAt(), s.updatedAt());
        }
    }

    public record TriggeredView(UUID jobId, Instant triggeredAt, Instant scheduledAt) {
    }

    public record RunView(UUID id, UUID scheduleId, UUID jobId, String status, String errorMessage, Instant fireTime,
                          Instant startedAt, Instant completedAt, String jobStatus) {
        static RunView of(ScheduleRun r) {
            return new RunView(r.id(), r.scheduleId(), r.jobId(), r.status(), r.errorMessage(), r.fireTime(),
                    r.startedAt(), r.completedAt(), r.jobStatus());
        }
    }

    private final ScheduleStore schedules;
    private final JobFactory jobs;
    private final OutboxRelay relay;
    private final JsonMapper json;
    private final Uuid7 ids;
    private final Clock clock;

    public ScheduleController(ScheduleStore schedules, JobFactory jobs, OutboxRelay relay, JsonMapper json, Uuid7 ids,
                              Clock clock) {
        this.schedules = schedules;
        this.jobs = jobs;
        this.relay = relay;
        this.json = json;
        this.ids = ids;
        this.clock = clock;
    }

    @PostMapping("/api/v1/schedules")
    @ResponseStatus(HttpStatus.CREATED)
    public ScheduleView create(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                               @RequestBody CreateSchedule request) {
        Instant now = clock.instant();
        Schedule draft = new Schedule(ids.next(), caller.organizationId(), request.name(), request.description(),
                request.cronExpression(), request.timezone() == null ? "UTC" : request.timezone(), request.queueName(),
                null, jobs.text(request.payloadTemplate()), request.priority() == null ? 0 : request.priority(),
                request.maxRetries(), request.timeoutSeconds(), text(request.tags()), text(request.metadata()),
                misfirePolicy(request.misfirePolicy(), MisfirePolicy.SKIP),
                overlapPolicy(request.overlapPolicy(), OverlapPolicy.ALLOW), !Boolean.FALSE.equals(request.isActive()),
                null, null, null, 0, now, now);
        Schedule schedule = checked(caller, draft, request.endpointId(), now);
        schedules.create(schedule);
        return ScheduleView.of(schedule);
    }

    @GetMapping("/api/v1/schedules")
    public List<ScheduleView> list(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                                   @RequestParam(defaultValue = "100") int limit,
                                   @RequestParam(defaultValue = "0") int offset) {
        return schedules.list(caller.organizationId(), Math.clamp(limit, 1, 100), Math.max(offset, 0)).stream()
                .filter(s -> caller.reaches(s.queueName())).map(ScheduleView::of).toList();
    }

    @GetMapping("/api/v1/schedules/{id}")
    public ScheduleView get(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        return ScheduleView.of(visible(caller, id));
    }

    @PutMapping("/api/v1/schedules/{id}")
    public ScheduleView update(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id,
                               @RequestBody UpdateSchedule request) {
        Schedule current = visible(caller, id);
        Instant now = clock.instant();
        Schedule draft = new Schedule(current.id(), current.organizationId(), or(request.name(), current.name()),
                or(request.description(), current.description()),
                or(request.cronExpression(), current.cronExpression()), or(request.timezone(), current.timezone()),
                or(request.queueName(), current.queueName()), current.endpointId(),
                request.payloadTemplate() == null ? current.payloadTemplate() : jobs.text(request.payloadTemplate()),
                or(request.priority(), current.priority()), or(request.maxRetries(), current.maxRetries()),
                or(request.timeoutSeconds(), current.timeoutSeconds()),
                request.tags() == null ? current.tags() : text(request.tags()),
                request.metadata() == null ? current.metadata() : text(request.metadata()),
                misfirePolicy(request.misfirePolicy(), current.misfirePolicy()),
                overlapPolicy(request.overlapPolicy(), current.overlapPolicy()),
                or(request.isActive(), current.active()), current.nextRunAt(), current.lastRunAt(),
                current.lastJobId(), current.runCount(), current.createdAt(), now);
        String endpointId = request.endpointId() != null ? request.endpointId()
                : current.endpointId() == null ? null : current.endpointId().toString();
        Schedule checked = checked(caller, draft, endpointId, now);
        boolean timingChanged = !checked.cronExpression().equals(current.cronExpression())
                || !checked.timezone().equals(current.timezone()) || checked.active() != current.active();
        Schedule updated = timingChanged ? checked : checked.withTiming(checked.active(), current.nextRunAt(), now);
        if (!schedules.update(updated)) {
            throw notFound();
        }
        return ScheduleView.of(updated);
    }

    @DeleteMapping("/api/v1/schedules/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        Schedule schedule = visible(caller, id);
        if (!schedules.delete(caller.organizationId(), schedule.id())) {
            throw notFound();
        }
    }

    /** No more fires until resumed. */
    @PostMapping("/api/v1/schedules/{id}/pause")
    public ScheduleView pause(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        return setActive(visible(caller, id), false);
    }

    /** Fires from its next occurrence after now: occurrences while paused are not made up. */
    @PostMapping("/api/v1/schedules/{id}/resume")
    public ScheduleView resume(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        return setActive(visible(caller, id), true);
    }

    /** Creates its job now, paused or not; its next occurrence stays as it was. */
    @PostMapping("/api/v1/schedules/{id}/trigger")
    public TriggeredView trigger(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id) {
        Schedule schedule = visible(caller, id);
        ScheduleStore.Triggered triggered = schedules.trigger(caller.organizationId(), schedule.id())
                .orElseThrow(ScheduleController::notFound);
        relay.wake();
        return new TriggeredView(triggered.jobId(), triggered.triggeredAt(), triggered.triggeredAt());
    }

    @GetMapping("/api/v1/schedules/{id}/history")
    public List<RunView> history(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id,
                                 @RequestParam(defaultValue = "50") int limit) {
        Schedule schedule = visible(caller, id);
        return schedules.history(caller.organizationId(), schedule.id(), Math.clamp(limit, 1, 100)).stream()
                .map(RunView::of).toList();
    }

    private ScheduleView setActive(Schedule current, boolean active) {
        Instant now = clock.instant();
        Schedule changed = withTiming(current, active, now);
        if (!schedules.update(changed)) {
            throw notFound();
        }
        return ScheduleView.of(changed);
    }

    /**
     * Validates the schedule as its jobs will be validated (queue and its scope, template size,
     * priority, retries, timeout, tags, endpoint), then its own fields, and sets its next run.
     */
    private Schedule checked(Caller caller, Schedule s, String endpointId, Instant now) {
        if (s.name() == null || s.name().isBlank() || s.name().length() > MAX_NAME_LENGTH) {
            throw invalid("name", "name is required, at most " + MAX_NAME_LENGTH + " characters");
        }
        if (s.payloadTemplate() == null) {
            throw invalid("payload_template", "payload_template is required");
        }
        try {
            CronExpression.parse(s.cronExpression());
        } catch (IllegalArgumentException e) {
            throw invalid("cron_expression", e.getMessage());
        }
        try {
            ZoneId.of(s.timezone());
        } catch (DateTimeException e) {
            throw invalid("timezone", "timezone must be an IANA time zone such as Europe/Berlin, not " + s.timezone());
        }
        if (s.metadata() != null && s.metadata().length() > MAX_METADATA_BYTES) {
            throw invalid("metadata", "metadata must be at most 64 KB of JSON");
        }
        NewJob sample = jobs.create(caller, new JobFactory.Spec(s.queueName(), s.payloadTemplate(), s.priority(),
                s.maxRetries(), s.timeoutSeconds(), null, null, s.tags() == null ? null : json.readTree(s.tags()),
                null, endpointId));
        Schedule withJobFields = s.withJobFields(sample.endpointId(), sample.tags());
        return withTiming(withJobFields, withJobFields.active(), now);
    }

    /** Active: due at its next occurrence after now; paused: not due. */
    private static Schedule withTiming(Schedule s, boolean active, Instant now) {
        Instant next = active ? CronExpression.parse(s.cronExpression()).nextAfter(now, ZoneId.of(s.timezone()))
                .orElse(null) : null;
        return s.withTiming(active, next, now);
    }

    private Schedule visible(Caller caller, String id) {
        return Ids.parse(id).flatMap(uuid -> schedules.get(caller.organizationId(), uuid))
                .filter(s -> caller.reaches(s.queueName()))
                .orElseThrow(ScheduleController::notFound);
    }

    private String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : json.writeValueAsString(node);
    }

    private static MisfirePolicy misfirePolicy(String text, MisfirePolicy fallback) {
        return text == null ? fallback : MisfirePolicy.fromWireName(text)
                .orElseThrow(() -> invalid("misfire_policy", "misfire_policy must be skip, catch_up or none"));
    }

    private static OverlapPolicy overlapPolicy(String text, OverlapPolicy fallback) {
        return text == null ? fallback : OverlapPolicy.fromWireName(text)
                .orElseThrow(() -> invalid("overlap_policy", "overlap_policy must be allow or skip_if_running"));
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static ApiException invalid(String field, String message) {
        return ApiException.validation(message, Map.of("field", field));
    }

    private static ApiException notFound() {
        return ApiException.notFound("Schedule not found");
    }
}
