package io.sluice.store;

import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.DeliveryParked;
import io.sluice.core.event.DeliveryWithheld;
import io.sluice.core.job.JobState;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes what the events say happened: attempts and the job states they lead to. Every
 * write is idempotent (attempt ids are stable, state changes are guarded by the allowed
 * source states), so a batch projected twice after a crash changes nothing the second time.
 */
@Repository
public class ProjectionStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SystemEventStore systemEvents;

    public ProjectionStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, SystemEventStore systemEvents) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.systemEvents = systemEvents;
    }

    /** Records a batch of attempts and moves their jobs, in one transaction. */
    public void recordAttempts(List<AttemptRecorded> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(status -> jdbc.execute((ConnectionCallback<Void>) connection -> {
            Map<UUID, Integer> newAttempts = insertAttempts(connection, attempts);
            Map<UUID, AttemptRecorded> decisive = decisivePerJob(attempts);
            Set<UUID> moved = new HashSet<>();
            List<SystemEvent> events = new ArrayList<>();
            for (JobState target : List.of(JobState.COMPLETED, JobState.PENDING, JobState.DEADLETTER)) {
                List<AttemptRecorded> moving = decisive.values().stream()
                        .filter(a -> a.jobState() == target).toList();
                moved.addAll(moveJobs(connection, target, moving, newAttempts, events));
            }
            Map<UUID, Integer> unmoved = new HashMap<>(newAttempts);
            unmoved.keySet().removeAll(moved);
            countAttempts(connection, unmoved);
            systemEvents.publishWithin(connection, events, clock.instant());
            return null;
        }));
    }

    /** Dead-letters the jobs whose deliveries were withheld (their endpoint was disabled), in one transaction. */
    public void recordWithheld(List<DeliveryWithheld> withheld) {
        if (withheld.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(status -> jdbc.execute((ConnectionCallback<Void>) connection -> {
            List<SystemEvent> events = new ArrayList<>();
            for (DeliveryWithheld w : withheld) {
                DeadLetterRows.withoutAttempt(jdbc, w.jobId(), w.reason(), w.at())
                        .ifPresent(job -> events.add(job.event(SystemEventType.JOB_DEADLETTERED, w.at(), Map.of())));
            }
            systemEvents.publishWithin(connection, events, clock.instant());
            return null;
        }));
    }

    /**
     * Parks the jobs whose deliveries a worker held back because their queue is paused (or sends
     * them on at once when the queue was resumed meanwhile: {@link ParkedJobs}), in one
     * transaction. Applying an event twice parks a job once.
     */
    public void recordParked(List<DeliveryParked> parked) {
        if (parked.isEmpty()) {
            return;
        }
        List<ParkedJobs.Held> held = parked.stream()
                .map(p -> new ParkedJobs.Held(p.organizationId(), p.queueName(), p.jobId(), p.attempt())).toList();
        tx.executeWithoutResult(status -> jdbc.execute((ConnectionCallback<Void>) connection -> {
            ParkedJobs.parkOrRequeue(connection, held);
            return null;
        }));
    }

    /**
     * One attempt per job decides its state: a delivery beats any failure (at-least-once
     * means a job that reached its receiver once is done), else the latest attempt.
     */
    private static Map<UUID, AttemptRecorded> decisivePerJob(List<AttemptRecorded> attempts) {
        Map<UUID, AttemptRecorded> decisive = new LinkedHashMap<>();
        for (AttemptRecorded attempt : attempts) {
            decisive.merge(attempt.jobId(), attempt, (current, next) -> {
                if (current.delivered() && !next.delivered()) {
                    return current;
                }
                return next;
            });
        }
        return decisive;
    }

    /**
     * @return per job, how many of its attempts were new (an event projected again inserts
     *         nothing): {@code jobs.attempts} grows by exactly that, so it stays the row count
     *         without counting rows, which would probe every attempts partition per job
     */
    private static Map<UUID, Integer> insertAttempts(Connection connection, List<AttemptRecorded> attempts)
            throws SQLException {
        int n = attempts.size();
        UUID[] ids = new UUID[n];
        UUID[] jobs = new UUID[n];
        UUID[] orgs = new UUID[n];
        UUID[] endpoints = new UUID[n];
        String[] started = new String[n];
        Long[] durations = new Long[n];
        Integer[] codes = new Integer[n];
        String[] excerpts = new String[n];
        String[] errorClasses = new String[n];
        String[] errors = new String[n];
        String[] workers = new String[n];
        for (int i = 0; i < n; i++) {
            AttemptRecorded a = attempts.get(i);
            ids[i] = a.attemptId();
            jobs[i] = a.jobId();
            orgs[i] = a.organizationId();
            endpoints[i] = a.endpointId();
            started[i] = a.startedAt().toString();
            durations[i] = a.durationMs();
            codes[i] = a.statusCode();
            excerpts[i] = stripNul(a.responseExcerpt());
            errorClasses[i] = a.errorClass();
            errors[i] = stripNul(a.error());
            workers[i] = a.worker();
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO attempts (id, job_id, organization_id, endpoint_id, started_at, duration_ms,
                                      status_code, response_excerpt, error_class, error, worker)
                SELECT i, j, o, e, s::timestamptz, d, c, r, ec, er, w
                FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::int8[], ?::int4[],
                            ?::text[], ?::text[], ?::text[], ?::text[]) AS x(i, j, o, e, s, d, c, r, ec, er, w)
                ON CONFLICT (id) DO NOTHING
                RETURNING job_id""")) {
            insert.setArray(1, connection.createArrayOf("uuid", ids));
            insert.setArray(2, connection.createArrayOf("uuid", jobs));
            insert.setArray(3, connection.createArrayOf("uuid", orgs));
            insert.setArray(4, connection.createArrayOf("uuid", endpoints));
            insert.setArray(5, connection.createArrayOf("text", started));
            insert.setArray(6, connection.createArrayOf("int8", durations));
            insert.setArray(7, connection.createArrayOf("int4", codes));
            insert.setArray(8, connection.createArrayOf("text", excerpts));
            insert.setArray(9, connection.createArrayOf("text", errorClasses));
            insert.setArray(10, connection.createArrayOf("text", errors));
            insert.setArray(11, connection.createArrayOf("text", workers));
            Map<UUID, Integer> inserted = new HashMap<>();
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    inserted.merge(rs.getObject(1, UUID.class), 1, Integer::sum);
                }
            }
            return inserted;
        }
    }

    /**
     * Moves jobs to the state their latest attempt led to: completed, pending with its next
     * attempt due, or dead-lettered (also recorded in {@code dead_letters}, the DLQ's index).
     *
     * @param events gets the system events of the jobs that moved
     * @return the jobs that moved; the others had already reached a state the target cannot follow
     */
    private Set<UUID> moveJobs(Connection connection, JobState target, List<AttemptRecorded> attempts,
                               Map<UUID, Integer> newAttempts, List<SystemEvent> events) throws SQLException {
        if (attempts.isEmpty()) {
            return Set.of();
        }
        int n = attempts.size();
        UUID[] ids = new UUID[n];
        String[] started = new String[n];
        String[] finished = new String[n];
        String[] errors = new String[n];
        Integer[] codes = new Integer[n];
        Integer[] added = new Integer[n];
        Integer[] retries = new Integer[n];
        String[] nextAttempts = new String[n];
        for (int i = 0; i < n; i++) {
            AttemptRecorded a = attempts.get(i);
            ids[i] = a.jobId();
            added[i] = newAttempts.getOrDefault(a.jobId(), 0);
            started[i] = a.startedAt().toString();
            finished[i] = a.startedAt().plusMillis(a.durationMs()).toString();
            // A dead-lettered job shows why it was given up; a pending one its last attempt's error.
            errors[i] = stripNul(target == JobState.DEADLETTER && a.deadLetterReason() != null
                    ? a.deadLetterReason() : a.error());
            codes[i] = a.statusCode();
            retries[i] = Math.max(0, a.attempt() - 1);
            nextAttempts[i] = target == JobState.PENDING && a.nextAttemptAt() != null ? a.nextAttemptAt().toString() : null;
        }
        List<String> sources = new ArrayList<>();
        Set<JobState> allowed = target == JobState.PENDING ? JobState.retryScheduledFrom() : JobState.sourcesOf(target);
        for (JobState source : allowed) {
            sources.add(source.wireName());
        }
        boolean completes = target == JobState.COMPLETED;
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE jobs j
                SET state = ?,
                    started_at = coalesce(j.started_at, x.s::timestamptz),
                    completed_at = CASE WHEN ? THEN x.f::timestamptz ELSE j.completed_at END,
                    last_error = CASE WHEN ? THEN j.last_error ELSE x.er END,
                    last_status_code = x.c,
                    attempts = j.attempts + x.n,
                    retry_count = x.r,
                    next_attempt_at = x.na::timestamptz,
                    updated_at = ?
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::int4[], ?::int4[], ?::int4[], ?::text[])
                     AS x(i, s, f, er, c, n, r, na)
                WHERE j.id = x.i AND j.state = ANY(?::text[])
                RETURNING j.id, j.organization_id, j.queue_name, j.endpoint_id, j.last_error, j.updated_at,
                          j.message_id, j.attempts, j.last_status_code, j.next_attempt_at""")) {
            update.setString(1, target.wireName());
            update.setBoolean(2, completes);
            update.setBoolean(3, completes);
            update.setTimestamp(4, Timestamp.from(clock.instant()));
            update.setArray(5, connection.createArrayOf("uuid", ids));
            update.setArray(6, connection.createArrayOf("text", started));
            update.setArray(7, connection.createArrayOf("text", finished));
            update.setArray(8, connection.createArrayOf("text", errors));
            update.setArray(9, connection.createArrayOf("int4", codes));
            update.setArray(10, connection.createArrayOf("int4", added));
            update.setArray(11, connection.createArrayOf("int4", retries));
            update.setArray(12, connection.createArrayOf("text", nextAttempts));
            update.setArray(13, connection.createArrayOf("text", sources.toArray(String[]::new)));
            // Fewer rows than jobs is a modelled outcome: those jobs already moved on.
            Set<UUID> moved = new HashSet<>();
            List<Object[]> deadLetters = new ArrayList<>();
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    moved.add(rs.getObject(1, UUID.class));
                    JobFacts job = new JobFacts(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getObject(4, UUID.class), rs.getObject(7, UUID.class),
                            target.wireName(), rs.getInt(8), Rows.integer(rs, 9), rs.getString(5));
                    events.addAll(eventsOf(job, target, Rows.instant(rs, 6), Rows.instant(rs, 10)));
                    if (target == JobState.DEADLETTER) {
                        String reason = rs.getString(5);
                        deadLetters.add(new Object[] {rs.getObject(1), rs.getObject(2), rs.getString(3),
                                rs.getObject(4), reason == null ? "dead-lettered" : reason, rs.getTimestamp(6)});
                    }
                }
            }
            indexDeadLetters(connection, deadLetters);
            return moved;
        }
    }

    /** A completion; a failed attempt, whether another follows or not; a job given up. */
    private static List<SystemEvent> eventsOf(JobFacts job, JobState target, Instant at, Instant nextAttemptAt) {
        return switch (target) {
            case COMPLETED -> List.of(job.event(SystemEventType.JOB_COMPLETED, at, Map.of()));
            case PENDING -> List.of(job.event(SystemEventType.JOB_FAILED, at, nextAttemptAt == null
                    ? Map.of("will_retry", true)
                    : Map.of("will_retry", true, "next_attempt_at", nextAttemptAt.toString())));
            case DEADLETTER -> List.of(job.event(SystemEventType.JOB_FAILED, at, Map.of("will_retry", false)),
                    job.event(SystemEventType.JOB_DEADLETTERED, at, Map.of()));
            default -> List.of();
        };
    }

    private static void indexDeadLetters(Connection connection, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO dead_letters (job_id, organization_id, queue_name, endpoint_id, reason, dead_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (job_id) DO UPDATE SET reason = EXCLUDED.reason, dead_at = EXCLUDED.dead_at""")) {
            for (Object[] row : rows) {
                for (int c = 0; c < row.length; c++) {
                    insert.setObject(c + 1, row[c]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Jobs whose state did not change still count their new attempts. */
    private static void countAttempts(Connection connection, Map<UUID, Integer> newAttempts) throws SQLException {
        if (newAttempts.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE jobs j SET attempts = j.attempts + x.n
                FROM unnest(?::uuid[], ?::int4[]) AS x(i, n)
                WHERE j.id = x.i""")) {
            UUID[] jobs = new UUID[newAttempts.size()];
            Integer[] added = new Integer[jobs.length];
            int i = 0;
            for (Map.Entry<UUID, Integer> entry : newAttempts.entrySet()) {
                jobs[i] = entry.getKey();
                added[i++] = entry.getValue();
            }
            update.setArray(1, connection.createArrayOf("uuid", jobs));
            update.setArray(2, connection.createArrayOf("int4", added));
            update.executeUpdate();
        }
    }

    /** PostgreSQL text cannot hold NUL; a receiver's binary answer must not fail the batch. */
    private static String stripNul(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace("\0", "");
    }
}
