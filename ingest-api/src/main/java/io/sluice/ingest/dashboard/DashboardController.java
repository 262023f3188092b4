package io.sluice.ingest.dashboard;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.health.Dependencies;
import io.sluice.store.DashboardFigures;
import io.sluice.store.DashboardStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/dashboard}: one summary call for UIs, in the Spooled shape, of the caller's
 * organization (and, for a queue-limited key, of its queues): one pass over the jobs, the
 * queues' loads (first 100 by name) and the workers.
 */
@RestController
public class DashboardController {

    /** A worker silent this long counts as unhealthy (the lease reaper's default too). */
    private static final Duration WORKER_SILENCE = Duration.ofMinutes(2);
    private static final String VERSION = versionOf(DashboardController.class);

    public record SystemInfo(String version, long uptimeSeconds, Instant startedAt, String databaseStatus,
                             String cacheStatus, String environment) {
    }

    public record Jobs(long total, long pending, long processing,
                       @JsonProperty("completed_24h") long completed24h,
                       @JsonProperty("failed_24h") long failed24h, long deadletter, Double avgWaitTimeMs,
                       Double avgProcessingTimeMs) {
    }

    public record QueueLoad(String name, long pending, long processing, boolean paused) {
    }

    public record Workers(long total, long healthy, long unhealthy) {
    }

    public record RecentActivity(@JsonProperty("jobs_created_1h") long jobsCreated1h,
                                 @JsonProperty("jobs_completed_1h") long jobsCompleted1h,
                                 @JsonProperty("jobs_failed_1h") long jobsFailed1h) {
    }

    public record Dashboard(SystemInfo system, Jobs jobs, List<QueueLoad> queues, Workers workers,
                            RecentActivity recentActivity) {
    }

    private final DashboardStore dashboards;
    private final Dependencies dependencies;
    private final Environment environment;
    private final Clock clock;
    private final Instant startedAt;

    public DashboardController(DashboardStore dashboards, Dependencies dependencies, Environment environment,
                               Clock clock) {
        this.dashboards = dashboards;
        this.dependencies = dependencies;
        this.environment = environment;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    @GetMapping("/api/v1/dashboard")
    public Dashboard dashboard(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller) {
        DashboardFigures f = dashboards.summary(caller.organizationId(), caller.queueScope(), WORKER_SILENCE);
        Instant now = clock.instant();
        String[] profiles = environment.getActiveProfiles();
        SystemInfo system = new SystemInfo(VERSION, Duration.between(startedAt, now).toSeconds(), startedAt,
                status(dependencies.databaseUp()), status(dependencies.kafkaUp()),
                profiles.length == 0 ? "default" : String.join(",", profiles));
        return new Dashboard(system,
                new Jobs(f.total(), f.pending(), f.processing(), f.completed24h(), f.failed24h(), f.deadletter(),
                        f.avgWaitTimeMs(), f.avgProcessingTimeMs()),
                f.queues().stream().map(q -> new QueueLoad(q.name(), q.pending(), q.processing(), q.paused())).toList(),
                new Workers(f.workers(), f.healthyWorkers(), f.workers() - f.healthyWorkers()),
                new RecentActivity(f.created1h(), f.completed1h(), f.failed1h()));
    }

    private static String status(boolean up) {
        return up ? "healthy" : "unhealthy";
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
