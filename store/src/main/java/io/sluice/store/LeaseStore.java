package io.sluice.store;

import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import io.sluice.core.work.LeaseCheck;
import io.sluice.core.work.WorkerRetry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Leases of jobs handed to external workers. A claim leases jobs that are still pending (so
 * a job is never leased twice, whichever node hands it out); completing, failing or
 * extending is fenced by the lease ({@link LeaseCheck}); a failure, an expired lease or a
 * worker that left sends the job down the retry path ({@link WorkerRetry}): back to its queue
 * through the outbox after its delay, or to the dead-letter queue. Every attempt is recorded:
 * a failed one in {@code attempts}, a successful one by the completed job's own row.
 */
@Repository
public class LeaseStore {

    /** A job's row as a worker's call finds it, locked. */
    private record Locked(UUID id, UUID organizationId, String queueName, JobState state, UUID assignedWorker,
                          UUID leaseId, Instant leaseExpiresAt, Instant startedAt, int attempts, int retryCount,
                          int maxRetries, String queueSchedule) {

        LeaseCheck.JobLease lease() {
            return new LeaseCheck.JobLease(state, assignedWorker, leaseId, leaseExpiresAt);
        }

        /** The row as a call in the same batch leaves it, for the calls after it. */
        Locked moved(JobState newState, Instant newLeaseExpiry) {
            boolean keepsLease = newState == JobState.PROCESSING || newState == JobState.COMPLETED;
            return new Locked(id, organizationId, queueName, newState, keepsLease ? assignedWorker : null,
                    keepsLease ? leaseId : null, newLeaseExpiry, startedAt, attempts, retryCount, maxRetries,
                    queueSchedule);
        }

        JobFacts facts(String newState, String error) {
            return new JobFacts(id, organizationId, queueName, null, null, newState, attempts, null, error);
        }
    }

    private static final String LOCKED_COLUMNS = """
            j.id, j.organization_id, j.queue_name, j.state, j.assigned_worker_id, j.lease_id, j.lease_expires_at,
            j.started_at, j.attempts, j.retry_count, j.max_retries, q.retry_schedule""";
    private static final String LOCKED_FROM =
            " FROM jobs j LEFT JOIN queues q ON q.organization_id = j.organization_id AND q.name = j.queue_name ";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Uuid7 ids;
    private final SystemEventStore systemEvents;
    private final RetrySchedule defaultSchedule;

    public LeaseStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, Uuid7 ids, SystemEventStore systemEvents,
                      RetrySchedule defaultSchedule) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.ids = ids;
        this.systemEvents = systemEvents;
        this.defaultSchedule = defaultSchedule;
    }

    /**
     * Leases those of the jobs that are still waiting for a worker (the others were cancelled,
     * leased elsewhere or are gone: they are left out). A job whose {@code expires_at} passed is
     * cancelled instead of started. While their queue is paused none is leased: they are parked,
     * as the outbox relay parks the queue's newer jobs, and resuming the queue hands them out again
     * ({@link QueuePauseStore}).
     *
     * @param queueName the queue of the jobs
     * @return the leased jobs, highest priority first, then oldest
     */
    public List<LeasedJob> lease(UUID organizationId, String queueName, List<UUID> jobIds, UUID workerId,
                                 Duration duration) {
        if (jobIds.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Timestamp at = Rows.timestamp(now);
        Timestamp until = Rows.timestamp(now.plus(duration));
        String[] idArray = jobIds.stream().map(UUID::toString).toArray(String[]::new);
        List<LeasedJob> leased = tx.execute(status -> {
            if (parkedForPausedQueue(organizationId, queueName, jobIds)) {
                return List.of();
            }
            List<LeasedJob> rows = jdbc.query("""
                    UPDATE jobs SET state = 'processing', assigned_worker_id = ?, lease_id = gen_random_uuid(),
                        lease_expires_at = ?, started_at = ?, attempts = attempts + 1, next_attempt_at = NULL, updated_at = ?
                    WHERE id = ANY(?::uuid[]) AND organization_id = ? AND state = 'pending' AND endpoint_id IS NULL
                        AND (expires_at IS NULL OR expires_at > ?)
                    RETURNING id, organization_id, queue_name, payload::text, retry_count, max_retries, timeout_seconds,
                        priority, lease_id, lease_expires_at, idempotency_key, last_error, created_at, scheduled_at""",
                    (rs, n) -> new LeasedJob(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getBytes(4), rs.getInt(5), rs.getInt(6), Rows.integer(rs, 7), rs.getInt(8),
                            rs.getObject(9, UUID.class), Rows.instant(rs, 10), rs.getString(11), rs.getString(12),
                            Rows.instant(rs, 13), Rows.instant(rs, 14), now),
                    workerId, until, at, at, idArray, organizationId, at);
            // Only when some were not leased: the others may have expired while they waited.
            List<SystemEvent> expired = rows.size() == jobIds.size() ? List.of() : jdbc.query("""
                    UPDATE jobs SET state = 'cancelled', last_error = 'expired before a worker took it', updated_at = ?
                    WHERE id = ANY(?::uuid[]) AND organization_id = ? AND state = 'pending' AND expires_at <= ?
                    RETURNING id, queue_name, attempts, last_error""",
                    (rs, n) -> new JobFacts(rs.getObject(1, UUID.class), organizationId, rs.getString(2), null, null,
                            "cancelled", rs.getInt(3), null, rs.getString(4))
                            .event(SystemEventType.JOB_CANCELLED, now, Map.of()),
                    at, idArray, organizationId, at);
            grant(workerId, until, rows.stream().map(LeasedJob::id).toList());
            publishEvents(expired, now);
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                systemEvents.publishNoticesWithin(connection, Set.of(organizationId), () -> rows.stream()
                        .map(job -> new JobFacts(job.id(), job.organizationId(), job.queueName(), null, null,
                                "processing", 0, null, null)
                                .event(SystemEventType.JOB_STARTED, now, Map.of("worker_id", workerId.toString())))
                        .toList(), now);
                return null;
            });
            return rows;
        });
        List<LeasedJob> ordered = new ArrayList<>(leased);
        ordered.sort(Comparator.comparingInt(LeasedJob::priority).reversed().thenComparing(LeasedJob::id));
        return ordered;
    }

    /**
     * Parks the jobs when their queue is paused ({@link ParkedJobs}). Only a paused queue's row
     * is locked, so claims on running queues never wait for one another here.
     *
     * @return whether the queue is paused (and the jobs still waiting were parked)
     */
    private boolean parkedForPausedQueue(UUID organizationId, String queueName, List<UUID> jobIds) {
        boolean paused = !jdbc.queryForList("""
                SELECT true FROM queues WHERE organization_id = ? AND name = ? AND paused FOR SHARE""",
                Boolean.class, organizationId, queueName).isEmpty();
        if (paused) {
            List<ParkedJobs.Held> held = jobIds.stream()
                    .map(id -> new ParkedJobs.Held(organizationId, queueName, id, null)).toList();
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                ParkedJobs.parkOrRequeue(connection, held);
                return null;
            });
        }
        return paused;
    }

    /**
     * Applies workers' calls in one transaction (a group commit: many workers' completions share
     * one commit), in the order given; a later call on the same job sees what an earlier one did.
     *
     * @return each call's outcome, in the order of the calls
     */
    public List<LeaseOutcome> apply(List<LeaseCall> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        Timestamp at = Rows.timestamp(now);
        return ConflictRetry.inTransaction(tx, status -> {
            LeaseOutcome[] outcomes = new LeaseOutcome[calls.size()];
            List<SystemEvent> events = new ArrayList<>();
            completeHeld(calls, outcomes, events, now);
            List<Integer> rest = IntStream.range(0, calls.size()).filter(i -> outcomes[i] == null).boxed().toList();
            Map<UUID, Locked> locked = lockAll(rest.stream().map(i -> calls.get(i).jobId()).distinct().sorted().toList());
            List<Object[]> completions = new ArrayList<>();
            Map<UUID, Instant> extensions = new LinkedHashMap<>(); // a later extension of a job wins
            for (int i : rest) {
                LeaseCall call = calls.get(i);
                Locked job = locked.get(call.jobId());
                if (job == null || !job.organizationId().equals(call.organizationId())) {
                    outcomes[i] = new LeaseOutcome.NotFound();
                    continue;
                }
                LeaseOutcome refused = refusal(LeaseCheck.check(job.lease(), call.workerId(), call.leaseId(), now));
                if (refused != null) {
                    outcomes[i] = refused;
                    continue;
                }
                switch (call) {
                    case LeaseCall.Complete complete -> {
                        completions.add(new Object[] {job.id(), complete.result()});
                        events.add(completedEvent(job.facts("completed", null), complete, now));
                        locked.put(job.id(), job.moved(JobState.COMPLETED, null));
                        outcomes[i] = new LeaseOutcome.Completed();
                    }
                    case LeaseCall.Fail fail -> {
                        LeaseOutcome outcome = giveBack(job, call.workerId(), "worker_error", fail.error(), fail.retry(), now);
                        locked.put(job.id(), job.moved(outcome instanceof LeaseOutcome.WillRetry
                                ? JobState.PENDING : JobState.DEADLETTER, null));
                        outcomes[i] = outcome;
                    }
                    case LeaseCall.Extend extend -> {
                        Instant until = now.plus(extend.duration());
                        extensions.put(job.id(), until);
                        locked.put(job.id(), job.moved(job.state(), until));
                        outcomes[i] = new LeaseOutcome.Extended(until);
                    }
                }
            }
            if (!completions.isEmpty()) {
                // One statement for the batch: a statement per job cost more than the commit it shares.
                jdbc.update("""
                        UPDATE jobs j SET state = 'completed', completed_at = ?, result = c.result::json,
                            lease_expires_at = NULL, next_attempt_at = NULL, last_error = NULL, updated_at = ?
                        FROM unnest(?::uuid[], ?::text[]) AS c(id, result) WHERE j.id = c.id""",
                        at, at, completions.stream().map(c -> c[0].toString()).toArray(String[]::new),
                        completions.stream().map(c -> (String) c[1]).toArray(String[]::new));
            }
            if (!extensions.isEmpty()) {
                // With a grant per extended lease, so the reaper looks at the job again when it
                // runs out; the grant takes its time from the row, so the two are the same.
                jdbc.update("""
                        WITH extended AS (
                            UPDATE jobs j SET lease_expires_at = e.until, updated_at = ?
                            FROM unnest(?::uuid[], ?::timestamptz[]) AS e(id, until) WHERE j.id = e.id
                            RETURNING j.id, j.assigned_worker_id, j.lease_expires_at)
                        INSERT INTO lease_grants (worker_id, expires_at, job_ids)
                        SELECT assigned_worker_id, lease_expires_at, ARRAY[id] FROM extended""",
                        at, extensions.keySet().stream().map(UUID::toString).toArray(String[]::new),
                        extensions.values().stream().map(Instant::toString).toArray(String[]::new));
            }
            publishEvents(events, now);
            return Arrays.asList(outcomes);
        });
    }

    /**
     * Completes, in one statement and without locking the rows first, the jobs of those calls
     * that complete a job no other call of the batch names, where the caller holds the lease: the
     * statement's condition is {@link LeaseCheck}'s {@code Held}. The other calls are left (their
     * outcome {@code null}) to be decided on the locked rows.
     */
    private void completeHeld(List<LeaseCall> calls, LeaseOutcome[] outcomes, List<SystemEvent> events,
                              Instant now) {
        Map<UUID, Long> named = calls.stream().collect(Collectors.groupingBy(LeaseCall::jobId, Collectors.counting()));
        Map<UUID, Integer> candidates = new HashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i) instanceof LeaseCall.Complete && named.get(calls.get(i).jobId()) == 1) {
                candidates.put(calls.get(i).jobId(), i);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        List<LeaseCall.Complete> completes = candidates.values().stream().sorted()
                .map(i -> (LeaseCall.Complete) calls.get(i)).toList();
        Timestamp at = Rows.timestamp(now);
        jdbc.query("""
                UPDATE jobs j SET state = 'completed', completed_at = ?, result = c.result::json,
                    lease_expires_at = NULL, next_attempt_at = NULL, last_error = NULL, updated_at = ?
                FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[])
                    AS c(id, organization_id, worker_id, lease_id, result)
                WHERE j.id = c.id AND j.organization_id = c.organization_id AND j.state = 'processing'
                    AND j.assigned_worker_id = c.worker_id AND j.lease_id IS NOT NULL
                    AND (c.lease_id IS NULL OR j.lease_id = c.lease_id) AND j.lease_expires_at > ?
                RETURNING j.id, j.organization_id, j.queue_name, j.attempts""", rs -> {
                    UUID id = rs.getObject(1, UUID.class);
                    int index = candidates.get(id);
                    LeaseCall.Complete complete = (LeaseCall.Complete) calls.get(index);
                    UUID organizationId = rs.getObject(2, UUID.class);
                    events.add(completedEvent(new JobFacts(id, organizationId, rs.getString(3), null, null,
                            "completed", rs.getInt(4), null, null), complete, now));
                    outcomes[index] = new LeaseOutcome.Completed();
                }, at, at, uuids(completes, LeaseCall::jobId), uuids(completes, LeaseCall::organizationId),
                uuids(completes, LeaseCall::workerId), uuids(completes, LeaseCall::leaseId),
                completes.stream().map(LeaseCall.Complete::result).toArray(String[]::new), at);
    }

    private static String[] uuids(List<LeaseCall.Complete> calls, Function<LeaseCall, UUID> field) {
        return calls.stream().map(field).map(id -> id == null ? null : id.toString()).toArray(String[]::new);
    }

    private static SystemEvent completedEvent(JobFacts job, LeaseCall.Complete complete, Instant now) {
        return job.event(SystemEventType.JOB_COMPLETED, now,
                complete.result() == null ? Map.of() : Map.of("result", SystemEvent.json(complete.result())));
    }

    public LeaseOutcome complete(UUID organizationId, UUID jobId, UUID workerId, UUID leaseId, String result) {
        return apply(List.of(new LeaseCall.Complete(organizationId, jobId, workerId, leaseId, result))).getFirst();
    }

    public LeaseOutcome fail(UUID organizationId, UUID jobId, UUID workerId, UUID leaseId, String error, boolean retry) {
        return apply(List.of(new LeaseCall.Fail(organizationId, jobId, workerId, leaseId, error, retry))).getFirst();
    }

    public LeaseOutcome extend(UUID organizationId, UUID jobId, UUID workerId, UUID leaseId, Duration duration) {
        return apply(List.of(new LeaseCall.Extend(organizationId, jobId, workerId, leaseId, duration))).getFirst();
    }

    /**
     * Settles up to {@code limit} lease grants that ran out: those of their jobs whose lease ran
     * out too (it was not extended) are taken back down the retry path, and the grants dropped.
     */
    public LeaseSweep expireLeases(int limit) {
        Instant now = clock.instant();
        Timestamp at = Rows.timestamp(now);
        LeaseSweep sweep = tx.execute(status -> {
            Grants grants = grants("expires_at <= ? ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED", at, limit);
            if (grants.ids().length == 0) {
                return new LeaseSweep(0, 0);
            }
            // Waits for a job a worker's call holds rather than skipping it: its grant is dropped here.
            int taken = takeBackWithin(" WHERE j.id = ANY(?::uuid[]) AND j.state = 'processing'"
                            + " AND j.lease_expires_at <= ? ORDER BY j.id FOR UPDATE OF j", "lease_expired",
                    "the lease expired before the worker finished", now, grants.jobIds(), at);
            grants.drop(jdbc);
            return new LeaseSweep(grants.ids().length, taken);
        });
        return sweep == null ? new LeaseSweep(0, 0) : sweep;
    }

    /**
     * Takes back every job leased to a worker that left or went silent, down the retry path.
     *
     * @return how many were taken back
     */
    public int releaseWorker(UUID workerId, String reason) {
        Instant now = clock.instant();
        Integer taken = tx.execute(status -> {
            Grants grants = grants("worker_id = ? FOR UPDATE", workerId);
            int back = takeBackWithin(" WHERE j.id = ANY(?::uuid[]) AND j.assigned_worker_id = ?"
                    + " AND j.state = 'processing' ORDER BY j.id FOR UPDATE OF j", "worker_lost", reason, now,
                    grants.jobIds(), workerId);
            grants.drop(jdbc);
            return back;
        });
        return taken == null ? 0 : taken;
    }

    /** Lease grants, locked: their ids and the jobs they name. */
    private record Grants(String[] ids, String[] jobIds) {

        void drop(JdbcTemplate jdbc) {
            if (ids.length > 0) {
                jdbc.update("DELETE FROM lease_grants WHERE id = ANY(?::bigint[])", (Object) ids);
            }
        }
    }

    private Grants grants(String condition, Object... args) {
        List<String> ids = new ArrayList<>();
        Set<String> jobIds = new TreeSet<>();
        jdbc.query("SELECT id, job_ids::text[] FROM lease_grants WHERE " + condition, rs -> {
            ids.add(rs.getString(1));
            Collections.addAll(jobIds, (String[]) rs.getArray(2).getArray());
        }, args);
        return new Grants(ids.toArray(String[]::new), jobIds.toArray(String[]::new));
    }

    /**
     * Takes back those of the jobs still leased to the worker (a stream that carried them ended),
     * down the retry path.
     *
     * @return how many were taken back
     */
    public int releaseJobs(UUID workerId, List<UUID> jobIds, String reason) {
        if (jobIds.isEmpty()) {
            return 0;
        }
        return takeBack(" WHERE j.id = ANY(?::uuid[]) AND j.assigned_worker_id = ? AND j.state = 'processing'"
                        + " ORDER BY j.id FOR UPDATE OF j", "worker_lost", reason,
                jobIds.stream().map(UUID::toString).toArray(String[]::new), workerId);
    }

    private int takeBack(String where, String errorClass, String reason, Object... args) {
        Instant now = clock.instant();
        Integer taken = tx.execute(status -> takeBackWithin(where, errorClass, reason, now, args));
        return taken == null ? 0 : taken;
    }

    private int takeBackWithin(String where, String errorClass, String reason, Instant now, Object... args) {
        List<Locked> held = jdbc.query("SELECT " + LOCKED_COLUMNS + LOCKED_FROM + where, LeaseStore::locked, args);
        for (Locked job : held) {
            giveBack(job, job.assignedWorker(), errorClass, reason, true, now);
        }
        return held.size();
    }

    private LeaseOutcome giveBack(Locked job, UUID workerId, String errorClass, String error, boolean retryWanted,
                                  Instant now) {
        RetrySchedule schedule = job.queueSchedule() == null ? defaultSchedule
                : defaultSchedule.withDelays(EndpointStore.schedule(job.queueSchedule()));
        recordAttempt(job, workerId, now, errorClass, error);
        Timestamp at = Rows.timestamp(now);
        return switch (WorkerRetry.after(schedule, job.retryCount(), job.maxRetries(), retryWanted, error)) {
            case WorkerRetry.Next.Retry(Duration delay) -> {
                Instant due = now.plus(delay);
                jdbc.update("""
                        UPDATE jobs SET state = 'pending', retry_count = retry_count + 1, next_attempt_at = ?,
                            last_error = ?, assigned_worker_id = NULL, lease_id = NULL, lease_expires_at = NULL,
                            updated_at = ?
                        WHERE id = ?""", Rows.timestamp(due), error, at, job.id());
                jdbc.update("INSERT INTO outbox (job_id) VALUES (?)", job.id());
                publishEvents(List.of(job.facts("pending", error).event(SystemEventType.JOB_FAILED, now,
                        Map.of("will_retry", true, "next_attempt_at", due.toString()))), now);
                yield new LeaseOutcome.WillRetry(delay);
            }
            case WorkerRetry.Next.DeadLetter(String reason) -> {
                DeadLetterRows.withoutAttempt(jdbc, job.id(), reason, now);
                // The dead-letter index keeps the reason; the job shows the worker's own error.
                jdbc.update("UPDATE jobs SET lease_expires_at = NULL, last_error = ? WHERE id = ?", error, job.id());
                publishEvents(List.of(
                        job.facts("deadletter", error).event(SystemEventType.JOB_FAILED, now, Map.of("will_retry", false)),
                        job.facts("deadletter", reason).event(SystemEventType.JOB_DEADLETTERED, now, Map.of())), now);
                yield new LeaseOutcome.DeadLettered(reason);
            }
        };
    }

    /**
     * A failed attempt, which the job's row moves on from. A successful one is not written: the
     * completed job's row is its record (its lease, worker and times; see {@link JobStore#attempts}).
     */
    private void recordAttempt(Locked job, UUID workerId, Instant now, String errorClass, String error) {
        Instant started = job.startedAt() == null ? now : job.startedAt();
        jdbc.update("""
                INSERT INTO attempts (id, job_id, organization_id, started_at, duration_ms, error_class, error, worker)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", ids.next(), job.id(), job.organizationId(), Rows.timestamp(started),
                Math.max(0, Duration.between(started, now).toMillis()), errorClass, error,
                workerId == null ? null : workerId.toString());
    }

    /** Records where the reaper finds the leases just given ({@code lease_grants}). */
    private void grant(UUID workerId, Timestamp until, List<UUID> jobIds) {
        if (!jobIds.isEmpty()) {
            jdbc.update("INSERT INTO lease_grants (worker_id, expires_at, job_ids) VALUES (?, ?, ?::uuid[])",
                    workerId, until, jobIds.stream().map(UUID::toString).toArray(String[]::new));
        }
    }

    /** The jobs' rows, locked in id order (so concurrent batches cannot deadlock), by id. */
    private Map<UUID, Locked> lockAll(List<UUID> jobIds) {
        Map<UUID, Locked> locked = new HashMap<>();
        if (jobIds.isEmpty()) {
            return locked;
        }
        jdbc.query("SELECT " + LOCKED_COLUMNS + LOCKED_FROM + " WHERE j.id = ANY(?::uuid[]) ORDER BY j.id FOR UPDATE OF j",
                rs -> {
                    Locked row = locked(rs, 0);
                    locked.put(row.id(), row);
                }, (Object) jobIds.stream().map(UUID::toString).toArray(String[]::new));
        return locked;
    }

    private static LeaseOutcome refusal(LeaseCheck.Verdict verdict) {
        return switch (verdict) {
            case LeaseCheck.Verdict.Held held -> null;
            case LeaseCheck.Verdict.AlreadyCompleted done -> new LeaseOutcome.AlreadyCompleted();
            case LeaseCheck.Verdict.Expired expired -> new LeaseOutcome.LeaseExpired();
            case LeaseCheck.Verdict.NotOwned notOwned -> new LeaseOutcome.NotOwned();
        };
    }

    private void publishEvents(List<SystemEvent> events, Instant now) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            systemEvents.publishWithin(connection, events, now);
            return null;
        });
    }

    private static Locked locked(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Locked(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                JobState.fromWireName(rs.getString(4)), rs.getObject(5, UUID.class), rs.getObject(6, UUID.class),
                Rows.instant(rs, 7), Rows.instant(rs, 8), rs.getInt(9), rs.getInt(10), rs.getInt(11), rs.getString(12));
    }
}
