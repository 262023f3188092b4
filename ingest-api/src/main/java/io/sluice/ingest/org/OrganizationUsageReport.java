package io.sluice.ingest.org;

import io.sluice.ingest.IngestProperties;
import io.sluice.store.Organization;
import io.sluice.store.OrganizationStore;
import io.sluice.store.OrganizationUsage;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The usage report Spooled clients show. Self-hosted Sluice enforces no plan: every limit is
 * null (unlimited) but the payload size, which is {@code sluice.ingest.max-payload-bytes}.
 * Workflows count 0 until they exist.
 */
@Component
public class OrganizationUsageReport {

    static final String PLAN_DISPLAY_NAME = "Self-hosted";

    public record Limits(String tier, String displayName, Long maxJobsPerDay, Long maxActiveJobs, Long maxQueues,
                         Long maxWorkers, Long maxApiKeys, Long maxSchedules, Long maxWorkflows, Long maxWebhooks,
                         long maxPayloadSizeBytes, Long rateLimitRequestsPerSecond, Long rateLimitBurst,
                         Long jobRetentionDays, Long historyRetentionDays) {
    }

    /** @param limit null: unlimited (and so no percentage) */
    public record Resource(long current, Long limit, Double percentage, boolean isDisabled) {

        static Resource unlimited(long current) {
            return new Resource(current, null, null, false);
        }
    }

    public record Counts(Resource jobsToday, Resource activeJobs, Resource queues, Resource workers,
                         Resource apiKeys, Resource schedules, Resource workflows, Resource webhooks) {
    }

    public record Warning(String resource, String message, String severity) {
    }

    public record Usage(String plan, String planDisplayName, Limits limits, Counts usage, List<Warning> warnings) {
    }

    private final OrganizationStore organizations;
    private final IngestProperties ingest;

    public OrganizationUsageReport(OrganizationStore organizations, IngestProperties ingest) {
        this.organizations = organizations;
        this.ingest = ingest;
    }

    /** @param dayStart the start of today (UTC): jobs since then count as today's */
    public Usage of(Organization org, Instant dayStart) {
        OrganizationUsage now = organizations.usage(org.id(), dayStart);
        Limits limits = new Limits(org.planTier(), PLAN_DISPLAY_NAME, null, null, null, null, null, null, null, null,
                ingest.maxPayloadBytes(), null, null, null, null);
        Counts counts = new Counts(Resource.unlimited(now.jobsToday()), Resource.unlimited(now.activeJobs()),
                Resource.unlimited(now.queues()), Resource.unlimited(now.workers()), Resource.unlimited(now.apiKeys()),
                Resource.unlimited(now.schedules()), Resource.unlimited(now.workflows()), Resource.unlimited(now.webhooks()));
        return new Usage(org.planTier(), PLAN_DISPLAY_NAME, limits, counts, List.of());
    }
}
