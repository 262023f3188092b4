package io.sluice.store;

import io.sluice.core.job.JobState;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.workflow.DependencyMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dependencies added to existing jobs ({@code POST /jobs/{id}/dependencies}), and what a job
 * waits for. The decisions themselves are {@link DependencyDecisions}'.
 */
@Repository
public class DependencyStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SystemEventStore systemEvents;
    private final Clock clock;

    public DependencyStore(JdbcTemplate jdbc, TransactionTemplate tx, SystemEventStore systemEvents, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.systemEvents = systemEvents;
        this.clock = clock;
    }

    /**
     * Makes the job wait for more jobs, in one transaction. The job must not have started: it is
     * {@code scheduled}, or {@code pending} before its first attempt and not yet handed to
     * delivery (a webhook job still in the outbox, its FIFO lane, or parked; a worker's job
     * anywhere short of a lease, whose lease then finds it no longer pending). It becomes
     * {@code scheduled} until its dependencies are met, which may be at once.
     *
     * @param mode null: the job's mode so far, or {@code all}
     */
    public DependencyAddition add(UUID organizationId, UUID jobId, List<UUID> dependsOn, DependencyMode mode) {
        return ConflictRetry.inTransaction(tx, status -> jdbc.execute((ConnectionCallback<DependencyAddition>) connection -> {
            // Two additions at once could each close half of a cycle the other cannot see.
            jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "dependencies:" + organizationId);
            List<Map<String, Object>> job = jdbc.queryForList("""
                    SELECT state, attempts, endpoint_id FROM jobs WHERE id = ? AND organization_id = ? FOR UPDATE""",
                    jobId, organizationId);
            if (job.isEmpty()) {
                return new DependencyAddition.JobNotFound();
            }
            Set<UUID> wanted = new LinkedHashSet<>(dependsOn);
            List<UUID> known = jdbc.queryForList("SELECT id FROM jobs WHERE id = ANY(?::uuid[]) AND organization_id = ?",
                    UUID.class, wanted.toArray(UUID[]::new), organizationId);
            if (known.size() < wanted.size()) {
                List<UUID> unknown = new ArrayList<>(wanted);
                unknown.removeAll(known);
                return new DependencyAddition.UnknownDependencies(unknown);
            }
            Optional<UUID> closing = cycleThrough(jobId, wanted);
            if (closing.isPresent()) {
                return new DependencyAddition.WouldCycle(closing.get());
            }
            JobState state = JobState.fromWireName((String) job.getFirst().get("state"));
            boolean waitsAlready = state == JobState.SCHEDULED;
            if (!waitsAlready && !(state == JobState.PENDING && ((Number) job.getFirst().get("attempts")).intValue() == 0
                    && takenBack(jobId, job.getFirst().get("endpoint_id") != null))) {
                return new DependencyAddition.AlreadyStarted(state);
            }
            Instant now = clock.instant();
            Timestamp at = Timestamp.from(now);
            if (!waitsAlready) {
                jdbc.update("UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?", JobState.SCHEDULED.wireName(),
                        at, jobId);
            }
            jdbc.update("""
                    INSERT INTO dependent_jobs (job_id, organization_id, dependency_mode, dependencies)
                    VALUES (?, ?, ?, 'waiting')
                    ON CONFLICT (job_id) DO UPDATE
                    SET dependency_mode = coalesce(?, dependent_jobs.dependency_mode), dependencies = 'waiting'""",
                    jobId, organizationId, (mode == null ? DependencyMode.ALL : mode).wireName(),
                    mode == null ? null : mode.wireName());
            int added = 0;
            for (UUID dependency : wanted) {
                added += jdbc.update("""
                        INSERT INTO job_dependencies (job_id, depends_on_job_id) VALUES (?, ?)
                        ON CONFLICT DO NOTHING""", jobId, dependency);
            }
            Map<UUID, DependencyMode> waiting = DependencyDecisions.lockWaiting(connection, "d.job_id = ANY(?::uuid[])",
                    new UUID[] {jobId});
            List<SystemEvent> cancelled = DependencyDecisions.decideWithin(connection, waiting, now);
            systemEvents.publishWithin(connection, cancelled, now);
            JobDependencies after = read(organizationId, jobId).orElseThrow();
            return new DependencyAddition.Added(added,
                    after.dependencies().stream().map(JobDependencies.Related::jobId).toList(),
                    after.dependencyMode(), after.dependenciesMet());
        }));
    }

    /**
     * Takes a pending job back from where it waits for delivery. A worker's job needs nothing:
     * its lease requires it pending.
     *
     * @return whether it was there to take (false: a webhook job already handed to Kafka)
     */
    private boolean takenBack(UUID jobId, boolean webhook) {
        boolean taken = !HeldDeliveries.takeBack(jdbc, new UUID[] {jobId}).isEmpty();
        return !webhook || taken;
    }

    /** A new dependency that already waits for the job, directly or through others (or is the job). */
    private Optional<UUID> cycleThrough(UUID jobId, Set<UUID> dependencies) {
        for (UUID dependency : dependencies) {
            Boolean reaches = jdbc.queryForObject("""
                    WITH RECURSIVE upstream(id) AS (
                        SELECT ?::uuid
                        UNION
                        SELECT d.depends_on_job_id FROM job_dependencies d JOIN upstream u ON d.job_id = u.id)
                    SELECT EXISTS (SELECT 1 FROM upstream WHERE id = ?)""", Boolean.class, dependency, jobId);
            if (Boolean.TRUE.equals(reaches)) {
                return Optional.of(dependency);
            }
        }
        return Optional.empty();
    }

    /** The job's workflow and dependencies; empty when it is not the organization's. */
    public Optional<JobDependencies> of(UUID organizationId, UUID jobId) {
        return tx.execute(status -> read(organizationId, jobId));
    }

    private Optional<JobDependencies> read(UUID organizationId, UUID jobId) {
        List<Map<String, Object>> place = jdbc.queryForList("""
                SELECT wj.workflow_id, d.dependency_mode, d.dependencies
                FROM jobs j LEFT JOIN workflow_jobs wj ON wj.job_id = j.id LEFT JOIN dependent_jobs d ON d.job_id = j.id
                WHERE j.id = ? AND j.organization_id = ?""", jobId, organizationId);
        if (place.isEmpty()) {
            return Optional.empty();
        }
        List<JobDependencies.Related> dependencies = jdbc.query("""
                SELECT j.id, j.state, d.dependency_mode, j.queue_name
                FROM job_dependencies e JOIN dependent_jobs d ON d.job_id = e.job_id JOIN jobs j ON j.id = e.depends_on_job_id
                WHERE e.job_id = ? ORDER BY j.id""", DependencyStore::related, jobId);
        List<JobDependencies.Related> dependents = jdbc.query("""
                SELECT j.id, j.state, d.dependency_mode, j.queue_name
                FROM job_dependencies e JOIN dependent_jobs d ON d.job_id = e.job_id JOIN jobs j ON j.id = e.job_id
                WHERE e.depends_on_job_id = ? ORDER BY j.id""", DependencyStore::related, jobId);
        Map<String, Object> row = place.getFirst();
        Object dependenciesState = row.get("dependencies");
        return Optional.of(new JobDependencies(jobId, (UUID) row.get("workflow_id"), (String) row.get("dependency_mode"),
                dependenciesState == null || "met".equals(dependenciesState), dependencies, dependents));
    }

    private static JobDependencies.Related related(ResultSet rs, int row) throws SQLException {
        return new JobDependencies.Related(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                rs.getString(4));
    }
}
