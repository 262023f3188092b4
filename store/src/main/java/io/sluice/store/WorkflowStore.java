package io.sluice.store;

import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.system.SystemEventType;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.workflow.DependencyMode;
import io.sluice.core.workflow.WorkflowGraph;
import io.sluice.core.workflow.WorkflowProgress;
import io.sluice.core.workflow.WorkflowStatus;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * Workflows: DAGs of jobs created in one transaction. Jobs without dependencies start at once;
 * the others wait, {@code scheduled}, until {@link DependencyDecisions} releases or cancels them
 * as their dependencies end. A workflow's status and counts are read from its jobs' states.
 */
@Repository
public class WorkflowStore {

    /** A workflow's jobs counted by state: the columns {@link #workflow} reads after the workflow's own. */
    private static final String COUNTED = """
            SELECT w.id, w.organization_id, w.name, w.description, w.metadata::text, w.cancelled_at, w.created_at,
                   w.updated_at, c.total, c.completed, c.failed, c.tolerated, c.cancelled, c.processing, c.waiting, c.started,
                   c.started_at, c.completed_at
            FROM workflows w CROSS JOIN LATERAL (
                SELECT count(*)::int AS total,
                       (count(*) FILTER (WHERE j.state = 'completed'))::int AS completed,
                       (count(*) FILTER (WHERE j.state IN ('deadletter', 'failed')
                                           OR (j.state = 'cancelled' AND d.dependencies = 'failed')))::int AS failed,
                       -- given up, but every job that depended on it needed any one dependency and went ahead
                       (count(*) FILTER (WHERE j.state IN ('deadletter', 'failed')
                                           AND EXISTS (SELECT 1 FROM job_dependencies x WHERE x.depends_on_job_id = j.id)
                                           AND NOT EXISTS (
                                               SELECT 1 FROM job_dependencies x
                                               JOIN dependent_jobs after ON after.job_id = x.job_id
                                               WHERE x.depends_on_job_id = j.id
                                                 AND (after.dependency_mode <> 'any' OR after.dependencies <> 'met'))))::int
                           AS tolerated,
                       (count(*) FILTER (WHERE j.state = 'cancelled'
                                           AND d.dependencies IS DISTINCT FROM 'failed'))::int AS cancelled,
                       (count(*) FILTER (WHERE j.state = 'processing'))::int AS processing,
                       (count(*) FILTER (WHERE j.state IN ('pending', 'scheduled')))::int AS waiting,
                       coalesce(bool_or(j.attempts > 0), false) AS started,
                       min(j.started_at) AS started_at, max(j.completed_at) AS completed_at
                FROM workflow_jobs wj JOIN jobs j ON j.id = wj.job_id
                LEFT JOIN dependent_jobs d ON d.job_id = j.id
                WHERE wj.workflow_id = w.id) c
            """;

    /** How many workflows a filtered list reads per round while it looks for the page asked for. */
    private static final int SCAN_BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JobStore jobs;
    private final DeadLetterStore deadLetters;
    private final SystemEventStore systemEvents;
    private final Clock clock;

    public WorkflowStore(JdbcTemplate jdbc, TransactionTemplate tx, JobStore jobs, DeadLetterStore deadLetters,
                         SystemEventStore systemEvents, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jobs = jobs;
        this.deadLetters = deadLetters;
        this.systemEvents = systemEvents;
        this.clock = clock;
    }

    /**
     * Writes the workflow, its jobs and their dependencies in one transaction: all of it or none.
     *
     * @throws IllegalArgumentException when its jobs do not form a DAG ({@link WorkflowGraph})
     */
    public void create(NewWorkflow workflow) {
        List<WorkflowGraph.Node> nodes = workflow.jobs().stream()
                .map(member -> new WorkflowGraph.Node(member.key(), member.dependsOn())).toList();
        if (WorkflowGraph.check(nodes) instanceof WorkflowGraph.Invalid(String field, String message)) {
            throw new IllegalArgumentException(field + ": " + message);
        }
        Map<String, UUID> idOfKey = new HashMap<>();
        workflow.jobs().forEach(member -> idOfKey.put(member.key(), member.job().id()));
        List<NewJob> roots = new ArrayList<>();
        List<NewJob> held = new ArrayList<>();
        workflow.jobs().forEach(member -> (member.dependsOn().isEmpty() ? roots : held).add(member.job()));
        tx.executeWithoutResult(status -> jdbc.execute((ConnectionCallback<Void>) connection -> {
            Instant now = clock.instant();
            Timestamp at = Timestamp.from(now);
            jdbc.update("""
                    INSERT INTO workflows (id, organization_id, name, description, metadata, total_jobs, created_at,
                                           updated_at)
                    VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)""",
                    workflow.id(), workflow.organizationId(), workflow.name(), workflow.description(),
                    workflow.metadata(), workflow.jobs().size(), at, at);
            jobs.insertWithin(connection, roots, now);
            jobs.insertHeldWithin(connection, held, now);
            try (PreparedStatement members = connection.prepareStatement("""
                    INSERT INTO workflow_jobs (job_id, workflow_id, key)
                    SELECT x.j, ?, x.k FROM unnest(?::uuid[], ?::text[]) AS x(j, k)""")) {
                members.setObject(1, workflow.id());
                members.setArray(2, connection.createArrayOf("uuid",
                        workflow.jobs().stream().map(m -> m.job().id()).toArray()));
                members.setArray(3, connection.createArrayOf("text",
                        workflow.jobs().stream().map(NewWorkflow.Member::key).toArray()));
                members.executeUpdate();
            }
            List<NewWorkflow.Member> dependants = workflow.jobs().stream().filter(m -> !m.dependsOn().isEmpty())
                    .toList();
            try (PreparedStatement waiting = connection.prepareStatement("""
                    INSERT INTO dependent_jobs (job_id, organization_id, dependency_mode, dependencies)
                    SELECT x.j, ?, x.m, 'waiting' FROM unnest(?::uuid[], ?::text[]) AS x(j, m)""")) {
                waiting.setObject(1, workflow.organizationId());
                waiting.setArray(2, connection.createArrayOf("uuid",
                        dependants.stream().map(m -> m.job().id()).toArray()));
                waiting.setArray(3, connection.createArrayOf("text",
                        dependants.stream().map(m -> m.mode().wireName()).toArray()));
                waiting.executeUpdate();
            }
            List<UUID> from = new ArrayList<>();
            List<UUID> to = new ArrayList<>();
            for (NewWorkflow.Member member : dependants) {
                member.dependsOn().stream().distinct().forEach(key -> {
                    from.add(member.job().id());
                    to.add(idOfKey.get(key));
                });
            }
            try (PreparedStatement edges = connection.prepareStatement("""
                    INSERT INTO job_dependencies (job_id, depends_on_job_id)
                    SELECT * FROM unnest(?::uuid[], ?::uuid[])""")) {
                edges.setArray(1, connection.createArrayOf("uuid", from.toArray()));
                edges.setArray(2, connection.createArrayOf("uuid", to.toArray()));
                edges.executeUpdate();
            }
            List<NewJob> all = new ArrayList<>(roots);
            all.addAll(held);
            Set<UUID> waiting = new HashSet<>();
            held.forEach(job -> waiting.add(job.id()));
            systemEvents.publishCreatedWithin(connection, all, waiting, now);
            return null;
        }));
    }

    public Optional<Workflow> find(UUID organizationId, UUID id) {
        return jdbc.query(COUNTED + " WHERE w.organization_id = ? AND w.id = ?", WorkflowStore::workflow,
                organizationId, id).stream().findFirst();
    }

    /**
     * The organization's workflows, newest first. With a status, the newest are read in rounds
     * (a status is counted, not stored) until the page is full.
     */
    public List<Workflow> list(UUID organizationId, WorkflowStatus status, int limit, int offset) {
        if (status == null) {
            return jdbc.query(COUNTED + " WHERE w.organization_id = ? ORDER BY w.id DESC LIMIT ? OFFSET ?",
                    WorkflowStore::workflow, organizationId, limit, offset);
        }
        List<Workflow> page = new ArrayList<>();
        int skipped = 0;
        UUID before = null;
        while (page.size() < limit) {
            List<Workflow> round = before == null
                    ? jdbc.query(COUNTED + " WHERE w.organization_id = ? ORDER BY w.id DESC LIMIT ?",
                            WorkflowStore::workflow, organizationId, SCAN_BATCH)
                    : jdbc.query(COUNTED + " WHERE w.organization_id = ? AND w.id < ? ORDER BY w.id DESC LIMIT ?",
                            WorkflowStore::workflow, organizationId, before, SCAN_BATCH);
            for (Workflow workflow : round) {
                if (workflow.status() != status) {
                    continue;
                }
                if (skipped < offset) {
                    skipped++;
                } else if (page.size() < limit) {
                    page.add(workflow);
                }
            }
            if (round.size() < SCAN_BATCH) {
                break;
            }
            before = round.getLast().id();
        }
        return page;
    }

    /** The workflow's jobs in creation order; empty when it is not the organization's. */
    public List<WorkflowJob> jobs(UUID organizationId, UUID workflowId) {
        return jdbc.query("SELECT " + JobRows.columns("j") + """
                , wj.workflow_id, wj.key, d.dependency_mode, d.dependencies,
                  ARRAY(SELECT k.key FROM job_dependencies e JOIN workflow_jobs k ON k.job_id = e.depends_on_job_id
                        WHERE e.job_id = j.id ORDER BY k.key)
                FROM workflow_jobs wj JOIN jobs j ON j.id = wj.job_id
                LEFT JOIN dependent_jobs d ON d.job_id = j.id
                WHERE wj.workflow_id = ? AND j.organization_id = ?
                ORDER BY j.id""", (rs, n) -> {
            Array keys = rs.getArray(30);
            return new WorkflowJob(JobRows.job(rs, n), rs.getObject(26, UUID.class), rs.getString(27),
                    List.of((String[]) keys.getArray()), rs.getString(28),
                    rs.getString(29) == null || "met".equals(rs.getString(29)));
        }, workflowId, organizationId);
    }

    /**
     * Cancels the workflow and every job of it that has not started, in one transaction: those
     * waiting for their time or dependencies, and pending ones (taken back from the outbox, a
     * FIFO lane or a paused queue where they still wait). All are cancelled by one statement
     * before their events are raised, so each counts as cancelled by the user, not by a
     * dependency. Jobs already running finish.
     */
    public WorkflowCancel cancel(UUID organizationId, UUID id) {
        return ConflictRetry.inTransaction(tx, status -> jdbc.execute((ConnectionCallback<WorkflowCancel>) connection -> {
            if (jdbc.queryForList("SELECT id FROM workflows WHERE id = ? AND organization_id = ? FOR UPDATE",
                    UUID.class, id, organizationId).isEmpty()) {
                return new WorkflowCancel.NotFound();
            }
            WorkflowStatus now = find(organizationId, id).orElseThrow().status();
            if (now == WorkflowStatus.COMPLETED || now == WorkflowStatus.FAILED) {
                return new WorkflowCancel.Ended(now);
            }
            Instant at = clock.instant();
            Timestamp stamp = Timestamp.from(at);
            jdbc.update("UPDATE workflows SET cancelled_at = coalesce(cancelled_at, ?), updated_at = ? WHERE id = ?",
                    stamp, stamp, id);
            List<Map<String, Object>> waiting = jdbc.queryForList("""
                    SELECT j.id, j.state, j.endpoint_id FROM workflow_jobs wj JOIN jobs j ON j.id = wj.job_id
                    WHERE wj.workflow_id = ? AND j.state = ANY(?::text[]) ORDER BY j.id FOR UPDATE OF j""", id,
                    new String[] {JobState.SCHEDULED.wireName(), JobState.PENDING.wireName()});
            UUID[] webhooksPending = waiting.stream()
                    .filter(row -> row.get("endpoint_id") != null && JobState.PENDING.wireName().equals(row.get("state")))
                    .map(row -> (UUID) row.get("id")).toArray(UUID[]::new);
            Set<UUID> takenBack = HeldDeliveries.takeBack(jdbc, webhooksPending);
            List<UUID> inFlight = Arrays.stream(webhooksPending).filter(job -> !takenBack.contains(job)).toList();
            List<SystemEvent> events = jdbc.query("""
                    UPDATE jobs SET state = ?, completed_at = ?, updated_at = ?
                    WHERE id = ANY(?::uuid[]) AND state = ANY(?::text[])
                    RETURNING id, organization_id, queue_name, endpoint_id, message_id, attempts, last_error""",
                    (rs, n) -> new JobFacts(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getObject(4, UUID.class), rs.getObject(5, UUID.class), JobState.CANCELLED.wireName(),
                            rs.getInt(6), null, rs.getString(7)).event(SystemEventType.JOB_CANCELLED, at, Map.of()),
                    JobState.CANCELLED.wireName(), stamp, stamp,
                    waiting.stream().map(row -> row.get("id")).toArray(UUID[]::new),
                    new String[] {JobState.SCHEDULED.wireName(), JobState.PENDING.wireName()});
            systemEvents.publishWithin(connection, events, at);
            return new WorkflowCancel.Cancelled(inFlight);
        }));
    }

    /**
     * Runs a failed workflow again, in one transaction: its given-up jobs go back to pending as if
     * new, and the jobs their failure cancelled wait for their dependencies again. Jobs that
     * completed are not run again; jobs a user cancelled stay cancelled (and so may cancel what
     * waits for them once more).
     */
    public WorkflowRetry retry(UUID organizationId, UUID id) {
        return ConflictRetry.inTransaction(tx, status -> jdbc.execute((ConnectionCallback<WorkflowRetry>) connection -> {
            // One retry at a time per workflow: the second sees the first one's outcome.
            List<UUID> locked = jdbc.queryForList(
                    "SELECT id FROM workflows WHERE id = ? AND organization_id = ? FOR UPDATE", UUID.class,
                    id, organizationId);
            if (locked.isEmpty()) {
                return new WorkflowRetry.NotFound();
            }
            Workflow workflow = find(organizationId, id).orElseThrow();
            if (workflow.status() != WorkflowStatus.FAILED) {
                return new WorkflowRetry.NotFailed(workflow.status());
            }
            Instant now = clock.instant();
            UUID[] givenUp = jdbc.queryForList("""
                    SELECT j.id FROM workflow_jobs wj JOIN jobs j ON j.id = wj.job_id
                    WHERE wj.workflow_id = ? AND j.state = ANY(?::text[]) ORDER BY j.id""", UUID.class, id,
                    JobState.manuallyRetryable().stream().map(JobState::wireName).toArray(String[]::new))
                    .toArray(UUID[]::new);
            List<UUID> restarted = deadLetters.restart(connection, organizationId, givenUp,
                    JobState.manuallyRetryable());
            UUID[] revived = jdbc.queryForList("""
                    UPDATE jobs j SET state = ?, completed_at = NULL, last_error = NULL, updated_at = ?
                    FROM workflow_jobs wj, dependent_jobs d
                    WHERE wj.workflow_id = ? AND j.id = wj.job_id AND d.job_id = j.id AND d.dependencies = 'failed'
                      AND j.state = ?
                    RETURNING j.id""", UUID.class, JobState.SCHEDULED.wireName(), Timestamp.from(now), id,
                    JobState.CANCELLED.wireName()).toArray(UUID[]::new);
            jdbc.update("UPDATE dependent_jobs SET dependencies = 'waiting' WHERE job_id = ANY(?::uuid[])",
                    (Object) revived);
            // A revived job whose dependencies a user cancelled is cancelled again, at once.
            Map<UUID, DependencyMode> waiting = DependencyDecisions.lockWaiting(connection, "d.job_id = ANY(?::uuid[])",
                    revived);
            List<SystemEvent> cancelled = DependencyDecisions.decideWithin(connection, waiting, now);
            systemEvents.publishWithin(connection, cancelled, now);
            jdbc.update("UPDATE workflows SET updated_at = ? WHERE id = ?", Timestamp.from(now), id);
            return new WorkflowRetry.Retried(restarted.size(), revived.length);
        }));
    }

    /**
     * Forgets what retention left behind: workflows made before {@code before} none of whose
     * jobs remain (their days were dropped), and the dependency rows of jobs made before it that
     * no longer exist. A workflow with a job still kept (dead-lettered, say) stays whole.
     *
     * @return workflows and dependent jobs forgotten
     */
    public int forgetBefore(Instant before) {
        UUID bound = Uuid7.lowerBound(before);
        int forgotten = 0;
        for (int n; (n = jdbc.update("""
                DELETE FROM workflows WHERE id IN (
                    SELECT w.id FROM workflows w
                    WHERE w.id < ? AND NOT EXISTS (
                        SELECT 1 FROM workflow_jobs wj JOIN jobs j ON j.id = wj.job_id WHERE wj.workflow_id = w.id)
                    ORDER BY w.id LIMIT 1000)""", bound)) > 0; ) {
            forgotten += n;
        }
        for (int n; (n = jdbc.update("""
                DELETE FROM dependent_jobs WHERE job_id IN (
                    SELECT d.job_id FROM dependent_jobs d
                    WHERE d.job_id < ? AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = d.job_id)
                    ORDER BY d.job_id LIMIT 10000)""", bound)) > 0; ) {
            forgotten += n;
        }
        return forgotten;
    }

    private static Workflow workflow(ResultSet rs, int row) throws SQLException {
        WorkflowProgress progress = new WorkflowProgress(rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getInt(12),
                rs.getInt(13), rs.getInt(14), rs.getInt(15), rs.getBoolean(16));
        return new Workflow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), Rows.instant(rs, 6), Rows.instant(rs, 7), Rows.instant(rs, 8),
                progress, Rows.instant(rs, 17), Rows.instant(rs, 18));
    }
}
