package io.sluice.store;

import io.sluice.core.job.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** Jobs and their attempts. */
@Repository
public class JobStore {

    /** Memory for a transaction that changes thousands of jobs at once (see {@link #releaseDue}). */
    static final String TRIGGER_WORK_MEM = "64MB";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JobDefaults defaults;

    public JobStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, JobDefaults defaults) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.defaults = defaults;
    }

    /**
     * Inserts many jobs in one transaction: the idempotency keys, the job rows and, for jobs
     * delivered by HTTP, their outbox rows. One statement per table whatever the batch size,
     * so a group commit of hundreds of jobs costs a handful of round trips and one fsync.
     * A queue seen for the first time gets its row; a job that leaves {@code max_retries} or
     * {@code timeout_seconds} open takes its queue's, read in the same statement.
     *
     * @param idempotencyTtl how long a key keeps answering with its job
     * @return one result per job, in the order given
     */
    public List<InsertedJob> insertBatch(List<NewJob> jobs, Duration idempotencyTtl) {
        return tx.execute(status -> jdbc.execute((ConnectionCallback<List<InsertedJob>>) connection -> {
            Instant now = clock.instant();
            Accepted accepted = accept(connection, jobs, idempotencyTtl, now);
            insertWithin(connection, accepted.toInsert(), now);
            return accepted.results();
        }));
    }

    /**
     * What the idempotency keys made of a batch of jobs.
     *
     * @param results  one per job, in the order given
     * @param toInsert the jobs that are new and still to be written
     */
    record Accepted(List<InsertedJob> results, List<NewJob> toInsert) {
    }

    /** Takes the batch's idempotency keys, on a connection whose transaction the caller owns. */
    Accepted accept(Connection connection, List<NewJob> jobs, Duration idempotencyTtl, Instant now)
            throws SQLException {
        InsertedJob[] results = new InsertedJob[jobs.size()];
        Map<String, Integer> firstWithKey = new HashMap<>();
        Map<Integer, Integer> repeats = new HashMap<>();
        List<Integer> keyed = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            NewJob job = jobs.get(i);
            if (job.idempotencyKey() == null) {
                continue;
            }
            Integer first = firstWithKey.putIfAbsent(job.organizationId() + "/" + job.idempotencyKey(), i);
            if (first == null) {
                keyed.add(i);
            } else {
                repeats.put(i, first);
            }
        }
        if (!keyed.isEmpty()) {
            Map<String, UUID> existing = claimIdempotencyKeys(connection, jobs, keyed, now, idempotencyTtl);
            for (int i : keyed) {
                NewJob job = jobs.get(i);
                UUID other = existing.get(job.organizationId() + "/" + job.idempotencyKey());
                if (other != null) {
                    results[i] = new InsertedJob(other, false);
                }
            }
        }
        List<NewJob> toInsert = new ArrayList<>(jobs.size());
        for (int i = 0; i < jobs.size(); i++) {
            Integer first = repeats.get(i);
            if (first != null) {
                // The same key twice in one batch: the later one answers with whatever job
                // the first one resolved to (its own, or one committed earlier).
                results[i] = new InsertedJob(results[first].id(), false);
            } else if (results[i] == null) {
                results[i] = new InsertedJob(jobs.get(i).id(), true);
                toInsert.add(jobs.get(i));
            }
        }
        return new Accepted(List.of(results), toInsert);
    }

    /**
     * Takes each key for its job unless a live key exists; an expired key is taken over.
     * Keys are locked in one global order (organization, key) so that two batches sharing
     * keys wait for each other instead of deadlocking.
     *
     * @return organization/key to the existing job id, for keys that were already taken
     */
    private Map<String, UUID> claimIdempotencyKeys(
            Connection connection, List<NewJob> jobs, List<Integer> keyed, Instant now, Duration ttl)
            throws SQLException {
        int n = keyed.size();
        UUID[] orgs = new UUID[n];
        String[] keys = new String[n];
        UUID[] ids = new UUID[n];
        for (int k = 0; k < n; k++) {
            NewJob job = jobs.get(keyed.get(k));
            orgs[k] = job.organizationId();
            keys[k] = job.idempotencyKey();
            ids[k] = job.id();
        }
        Map<String, UUID> taken = new HashMap<>();
        try (PreparedStatement claim = connection.prepareStatement("""
                INSERT INTO idempotency_keys (organization_id, key, job_id, expires_at)
                SELECT o, k, j, ? FROM unnest(?::uuid[], ?::text[], ?::uuid[]) AS x(o, k, j)
                ORDER BY o, k
                ON CONFLICT (organization_id, key) DO UPDATE
                    SET job_id = EXCLUDED.job_id, expires_at = EXCLUDED.expires_at
                    WHERE idempotency_keys.expires_at <= ?
                RETURNING organization_id, key""")) {
            claim.setTimestamp(1, Timestamp.from(now.plus(ttl)));
            claim.setArray(2, connection.createArrayOf("uuid", orgs));
            claim.setArray(3, connection.createArrayOf("text", keys));
            claim.setArray(4, connection.createArrayOf("uuid", ids));
            claim.setTimestamp(5, Timestamp.from(now));
            java.util.Set<String> claimed = new java.util.HashSet<>();
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getObject(1, UUID.class) + "/" + rs.getString(2));
                }
            }
            if (claimed.size() == n) {
                return taken;
            }
            // ON CONFLICT waited for any concurrent holder of a key to commit, so this
            // statement (a new snapshot) sees the job it recorded.
            try (PreparedStatement lookup = connection.prepareStatement("""
                    SELECT i.organization_id, i.key, i.job_id
                    FROM idempotency_keys i JOIN unnest(?::uuid[], ?::text[]) AS x(o, k)
                      ON i.organization_id = x.o AND i.key = x.k""")) {
                lookup.setArray(1, connection.createArrayOf("uuid", orgs));
                lookup.setArray(2, connection.createArrayOf("text", keys));
                try (ResultSet rs = lookup.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getObject(1, UUID.class) + "/" + rs.getString(2);
                        if (!claimed.contains(id)) {
                            taken.put(id, rs.getObject(3, UUID.class));
                        }
                    }
                }
            }
        }
        return taken;
    }

    /**
     * Writes new jobs and their outbox rows on a connection whose transaction the caller owns:
     * jobs whose keys {@link #accept} took, and a message's deliveries (the message holds the key).
     *
     * @return how many of them wait in a FIFO endpoint's lane rather than in the outbox
     */
    int insertWithin(Connection connection, List<NewJob> jobs, Instant now) throws SQLException {
        insertJobs(connection, jobs, now, false);
        insertCompletionWebhooks(connection, jobs);
        List<NewJob> later = jobs.stream().filter(job -> job.isScheduledAfter(now)).toList();
        if (!later.isEmpty()) {
            try (PreparedStatement schedule = connection.prepareStatement("""
                    INSERT INTO scheduled_jobs (scheduled_at, job_id)
                    SELECT x.t::timestamptz, x.j FROM unnest(?::text[], ?::uuid[]) AS x(t, j)""")) {
                // As ISO text with its offset: a timestamp array is read in the session's time zone.
                schedule.setArray(1, connection.createArrayOf("text",
                        later.stream().map(job -> job.scheduledAt().toString()).toArray()));
                schedule.setArray(2, connection.createArrayOf("uuid", later.stream().map(NewJob::id).toArray()));
                schedule.executeUpdate();
            }
        }
        return insertOutbox(connection, later.isEmpty() ? jobs
                : jobs.stream().filter(job -> !job.isScheduledAfter(now)).toList());
    }

    /**
     * Writes new jobs that wait for their dependencies, on a connection whose transaction the
     * caller owns: {@code scheduled}, in neither the outbox nor {@code scheduled_jobs}, until
     * their dependencies are met ({@link DependencyDecisions}).
     */
    void insertHeldWithin(Connection connection, List<NewJob> jobs, Instant now) throws SQLException {
        insertJobs(connection, jobs, now, true);
        insertCompletionWebhooks(connection, jobs);
    }

    private static void insertCompletionWebhooks(Connection connection, List<NewJob> jobs) throws SQLException {
        List<NewJob> withCallback = jobs.stream().filter(job -> job.completionEndpoint() != null).toList();
        if (withCallback.isEmpty()) {
            return;
        }
        try (PreparedStatement callbacks = connection.prepareStatement("""
                INSERT INTO completion_webhooks (job_id, endpoint_id)
                SELECT * FROM unnest(?::uuid[], ?::uuid[])""")) {
            callbacks.setArray(1, connection.createArrayOf("uuid", withCallback.stream().map(NewJob::id).toArray()));
            callbacks.setArray(2, connection.createArrayOf("uuid",
                    withCallback.stream().map(NewJob::completionEndpoint).toArray()));
            callbacks.executeUpdate();
        }
    }

    /** @param held whether the jobs wait for dependencies: {@code scheduled} whatever their time */
    private void insertJobs(Connection connection, List<NewJob> jobs, Instant now, boolean held) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        int n = jobs.size();
        UUID[] ids = new UUID[n];
        UUID[] orgs = new UUID[n];
        String[] queues = new String[n];
        // The payloads travel as one JSON array, each verbatim: as a text[] the driver escaped
        // every quote of every payload, most of the cost of writing a batch on this side.
        StringBuilder payloads = new StringBuilder(2 + jobs.stream()
                .mapToInt(job -> job.payload() == null ? 5 : job.payload().length() + 1).sum()).append('[');
        UUID[] endpoints = new UUID[n];
        Integer[] priorities = new Integer[n];
        Integer[] maxRetries = new Integer[n];
        Integer[] timeouts = new Integer[n];
        String[] keys = new String[n];
        String[] tags = new String[n];
        String[] expires = new String[n];
        UUID[] messages = new UUID[n];
        String[] scheduled = new String[n];
        for (int i = 0; i < n; i++) {
            NewJob job = jobs.get(i);
            ids[i] = job.id();
            orgs[i] = job.organizationId();
            queues[i] = job.queueName();
            // A message's deliveries read its payload from the message (JobRows.payload).
            boolean ownPayload = job.messageId() == null && job.payload() != null;
            payloads.append(i == 0 ? "" : ",").append(ownPayload ? job.payload() : "null");
            endpoints[i] = job.endpointId();
            priorities[i] = job.priority();
            maxRetries[i] = job.maxRetries();
            timeouts[i] = job.timeoutSeconds();
            keys[i] = job.idempotencyKey();
            tags[i] = job.tags();
            expires[i] = job.expiresAt() == null ? null : job.expiresAt().toString();
            messages[i] = job.messageId();
            scheduled[i] = job.scheduledAt() == null ? null : job.scheduledAt().toString();
        }
        // Queue rows are created in a fixed order so that two batches adding the same new
        // queues wait for each other instead of deadlocking.
        try (PreparedStatement insert = connection.prepareStatement("""
                WITH x AS (
                    SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[], ?::int[], ?::int[],
                                         ?::int[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::text[])
                                  WITH ORDINALITY AS x(i, o, q, e, pr, mr, t, k, tg, ex, m, sa, n)
                    JOIN json_array_elements(?::json) WITH ORDINALITY AS payloads(p, n) USING (n)),
                new_queues AS (
                    INSERT INTO queues (organization_id, name, created_at, updated_at)
                    SELECT DISTINCT o, q, ?::timestamptz, ?::timestamptz FROM x ORDER BY o, q
                    ON CONFLICT (organization_id, name) DO NOTHING)
                INSERT INTO jobs (id, organization_id, queue_name, state, payload, endpoint_id, priority,
                                  max_retries, timeout_seconds, idempotency_key, tags, expires_at, message_id,
                                  scheduled_at, created_at, updated_at)
                SELECT x.i, x.o, x.q, CASE WHEN ? OR x.sa::timestamptz > ? THEN 'scheduled' ELSE 'pending' END,
                       CASE WHEN x.m IS NULL THEN x.p END,
                       x.e, x.pr, COALESCE(x.mr, c.max_retries, ?), COALESCE(x.t, c.default_timeout), x.k, x.tg::jsonb,
                       x.ex::timestamptz, x.m, x.sa::timestamptz, ?, ?
                FROM x LEFT JOIN queues c ON c.organization_id = x.o AND c.name = x.q""")) {
            Timestamp at = Timestamp.from(now);
            insert.setArray(1, connection.createArrayOf("uuid", ids));
            insert.setArray(2, connection.createArrayOf("uuid", orgs));
            insert.setArray(3, connection.createArrayOf("text", queues));
            insert.setArray(4, connection.createArrayOf("uuid", endpoints));
            insert.setArray(5, connection.createArrayOf("int4", priorities));
            insert.setArray(6, connection.createArrayOf("int4", maxRetries));
            insert.setArray(7, connection.createArrayOf("int4", timeouts));
            insert.setArray(8, connection.createArrayOf("text", keys));
            insert.setArray(9, connection.createArrayOf("text", tags));
            insert.setArray(10, connection.createArrayOf("text", expires));
            insert.setArray(11, connection.createArrayOf("uuid", messages));
            insert.setArray(12, connection.createArrayOf("text", scheduled));
            insert.setString(13, payloads.append(']').toString());
            insert.setTimestamp(14, at);
            insert.setTimestamp(15, at);
            insert.setBoolean(16, held);
            insert.setTimestamp(17, at);
            insert.setInt(18, defaults.maxRetries());
            insert.setTimestamp(19, at);
            insert.setTimestamp(20, at);
            insert.executeUpdate();
        }
    }

    /**
     * Jobs go to the outbox, in the order given: deliveries to the deliveries topic, jobs without
     * an endpoint to the work topic (external workers). Those of a FIFO endpoint wait in their
     * endpoint's lane instead ({@link FifoStore}).
     *
     * @return how many went to a lane
     */
    static int insertOutbox(Connection connection, List<NewJob> delivered) throws SQLException {
        if (delivered.isEmpty()) {
            return 0;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                WITH x AS (
                    SELECT * FROM unnest(?::uuid[], ?::uuid[]) WITH ORDINALITY AS x(j, e, n)),
                """ + OUTBOX_INSERTS + """
                SELECT count(*) FROM laned""")) {
            insert.setArray(1, connection.createArrayOf("uuid", delivered.stream().map(NewJob::id).toArray(UUID[]::new)));
            insert.setArray(2, connection.createArrayOf("uuid",
                    delivered.stream().map(NewJob::endpointId).toArray(UUID[]::new)));
            try (ResultSet laned = insert.executeQuery()) {
                laned.next();
                return laned.getInt(1);
            }
        }
    }

    /**
     * The outbox and lane inserts of {@link #insertOutbox}, as common table expressions that
     * follow one named {@code x} of the jobs ({@code j}), their endpoints ({@code e}) and their
     * order ({@code n}); {@code laned} returns the jobs that went to a lane.
     */
    private static final String OUTBOX_INSERTS = """
            laned AS (
                INSERT INTO fifo_queue (job_id, endpoint_id)
                SELECT x.j, x.e FROM x JOIN endpoints en ON en.id = x.e AND en.ordering = 'fifo'
                ORDER BY x.n
                RETURNING job_id),
            queued AS (
                INSERT INTO outbox (job_id)
                SELECT x.j FROM x WHERE NOT EXISTS (SELECT 1 FROM laned l WHERE l.job_id = x.j) ORDER BY x.n)
            """;

    /** When the earliest scheduled job waiting for its time is due; empty when none waits. */
    public Optional<Instant> nextScheduledAt() {
        return Optional.ofNullable(jdbc.queryForObject("SELECT min(scheduled_at) FROM scheduled_jobs",
                (rs, row) -> Rows.instant(rs, 1)));
    }

    /**
     * Splits the jobs due now into ranges of their {@code (scheduled_at, job_id)} order, for
     * transactions that release them side by side without meeting: each takes its own rows, where
     * transactions taking "the earliest, SKIP LOCKED" each walked past the rows of all the others.
     *
     * @param rangeSize jobs per range
     * @param maxRanges ranges at most; the last is open-ended, and holds what the others leave
     * @return one range of everything due when fewer than {@code rangeSize} are
     */
    public List<DueRange> splitDue(int rangeSize, int maxRanges) {
        List<ScheduledKey> bounds = jdbc.query("""
                SELECT scheduled_at, job_id FROM (
                    SELECT scheduled_at, job_id, row_number() OVER (ORDER BY scheduled_at, job_id) AS n
                    FROM scheduled_jobs WHERE scheduled_at <= ? ORDER BY scheduled_at, job_id LIMIT ?) due
                WHERE n % ? = 0 ORDER BY n""",
                (rs, row) -> new ScheduledKey(Rows.instant(rs, 1), rs.getObject(2, UUID.class)),
                Timestamp.from(clock.instant()), (long) rangeSize * (maxRanges - 1), rangeSize);
        List<DueRange> ranges = new ArrayList<>(bounds.size() + 1);
        ScheduledKey after = null;
        for (ScheduledKey bound : bounds) {
            ranges.add(new DueRange(after, bound));
            after = bound;
        }
        ranges.add(new DueRange(after, null));
        return ranges;
    }

    /** Releases jobs due now, up to {@code limit}: {@link #releaseDue(DueRange, int)} of them all. */
    public ReleasedJobs releaseDue(int limit) {
        return releaseDue(DueRange.ALL, limit);
    }

    /**
     * Releases scheduled jobs of the range whose time has come: they become {@code pending} and go
     * to the outbox (or their FIFO endpoint's lane), earliest first, in one transaction. Rows are
     * taken with {@code SKIP LOCKED}, so schedulers on several nodes share the work; one whose job
     * was cancelled meanwhile is dropped.
     *
     * @param limit jobs at most, the earliest of the range
     * @return the jobs released (none when none was due)
     */
    public ReleasedJobs releaseDue(DueRange range, int limit) {
        Instant now = clock.instant();
        List<Instant> released = tx.execute(status -> jdbc.execute((ConnectionCallback<List<Instant>>) connection -> {
            List<Instant> dueTimes = new ArrayList<>();
            try (Statement memory = connection.createStatement()) {
                // The state change's trigger (V24) joins the batch's old and new rows, whole rows
                // with their payloads: with the default 4 MB they spilled to temporary files, and
                // a batch of 5,000 took ~0.7 s instead of ~0.1 s.
                memory.execute("SET LOCAL work_mem = '" + TRIGGER_WORK_MEM + "'");
            }
            // One statement takes the rows, moves the jobs and writes their outbox rows: the jobs
            // do not travel to this process and back, only how many were due at each time.
            try (PreparedStatement release = connection.prepareStatement("""
                    WITH due AS (
                        -- the rows taken, by their place: matched by key instead, every batch
                        -- hashed the whole table (at the start of a backlog of 100,000, a quarter of its time)
                        DELETE FROM scheduled_jobs WHERE ctid = ANY(ARRAY(
                            SELECT ctid FROM scheduled_jobs WHERE scheduled_at <= ?
                              AND (scheduled_at, job_id) > (coalesce(?, '-infinity'::timestamptz), coalesce(?, '00000000-0000-0000-0000-000000000000'::uuid))
                              AND (scheduled_at, job_id) <= (coalesce(?, 'infinity'::timestamptz), coalesce(?, 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid))
                            ORDER BY scheduled_at, job_id LIMIT ? FOR UPDATE SKIP LOCKED))
                        RETURNING job_id),
                    released AS (
                        UPDATE jobs j SET state = 'pending', updated_at = ?
                        -- the ids as an array: each day's partition is probed by its key, where a join
                        -- hashed every scheduled job of the table for each batch
                        WHERE j.id = ANY(ARRAY(SELECT job_id FROM due)) AND j.state = 'scheduled'
                          -- one still waiting for dependencies goes when they are met (DependencyDecisions)
                          AND NOT EXISTS (SELECT 1 FROM dependent_jobs d WHERE d.job_id = j.id AND d.dependencies = 'waiting')
                        RETURNING j.id, j.endpoint_id, j.scheduled_at),
                    -- earliest first
                    x AS (SELECT id AS j, endpoint_id AS e, row_number() OVER (ORDER BY scheduled_at, id) AS n FROM released),
                    """ + OUTBOX_INSERTS + """
                    SELECT scheduled_at, count(*) FROM released GROUP BY scheduled_at ORDER BY scheduled_at""")) {
                // The job's row is locked by the UPDATE: a cancel waits for this transaction, or won before it.
                release.setTimestamp(1, Timestamp.from(now));
                ScheduledKey.bind(release, 2, range.after());
                ScheduledKey.bind(release, 4, range.upTo());
                release.setInt(6, limit);
                release.setTimestamp(7, Timestamp.from(now));
                try (ResultSet rs = release.executeQuery()) {
                    while (rs.next()) {
                        dueTimes.addAll(Collections.nCopies(rs.getInt(2), rs.getTimestamp(1).toInstant()));
                    }
                }
            }
            return dueTimes;
        }));
        // released once committed: that, not the statement's start, is how late they are
        return new ReleasedJobs(clock.instant(), released == null ? List.of() : released);
    }

    /**
     * @param queueScope the only queues to count (an API key's scope), or null for all
     * @return how many of the organization's jobs (of one queue, or of all) are in each state; every state, 0 when none
     */
    public Map<JobState, Long> countByState(UUID organizationId, String queueName, List<String> queueScope) {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        StringBuilder sql = new StringBuilder("SELECT state, count(*) FROM jobs WHERE organization_id = ?");
        List<Object> args = new ArrayList<>(List.of(organizationId));
        if (queueName != null) {
            sql.append(" AND queue_name = ?");
            args.add(queueName);
        }
        QueueScope.append(sql, args, "queue_name", queueScope);
        jdbc.query(sql.append(" GROUP BY state").toString(), rs -> {
            counts.put(JobState.fromWireName(rs.getString(1)), rs.getLong(2));
        }, args.toArray());
        return counts;
    }

    /** The organization's jobs of those ids, in the order asked; ids it has no job of are left out. */
    public List<JobRecord> getAll(UUID organizationId, List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE organization_id = ? AND id = ANY(?::uuid[])"
                        + " ORDER BY array_position(?::uuid[], id)",
                JobRows::job, organizationId, uuidArray(ids), uuidArray(ids));
    }

    private static String[] uuidArray(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toArray(String[]::new);
    }

    /** A new priority for a job still waiting to be taken; the row is locked before its state is read. */
    public PriorityChange changePriority(UUID organizationId, UUID jobId, int priority) {
        record Locked(JobState state, int priority) {
        }
        return tx.execute(status -> {
            List<Locked> current = jdbc.query(
                    "SELECT state, priority FROM jobs WHERE id = ? AND organization_id = ? FOR UPDATE",
                    (rs, n) -> new Locked(JobState.fromWireName(rs.getString(1)), rs.getInt(2)),
                    jobId, organizationId);
            if (current.isEmpty()) {
                return new PriorityChange.NotFound();
            }
            Locked job = current.getFirst();
            if (!JobState.priorityChangeable().contains(job.state())) {
                return new PriorityChange.NotChangeable(job.state());
            }
            jdbc.update("UPDATE jobs SET priority = ?, updated_at = ? WHERE id = ? AND organization_id = ?",
                    priority, Rows.timestamp(clock.instant()), jobId, organizationId);
            return new PriorityChange.Changed(job.priority(), priority);
        });
    }

    public Optional<JobRecord> get(UUID organizationId, UUID id) {
        return jdbc.query("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE id = ? AND organization_id = ?",
                JobRows::job, id, organizationId).stream().findFirst();
    }

    public List<JobRecord> list(JobQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + JobRows.COLUMNS + " FROM jobs WHERE organization_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(query.organizationId());
        if (query.queueName() != null) {
            sql.append(" AND queue_name = ?");
            args.add(query.queueName());
        }
        QueueScope.append(sql, args, "queue_name", query.queueScope());
        if (query.endpointId() != null) {
            sql.append(" AND endpoint_id = ?");
            args.add(query.endpointId());
        }
        if (query.state() != null) {
            sql.append(" AND state = ?");
            args.add(query.state());
        }
        if (query.tag() != null) {
            TagFilter.append(sql, args, "tags", query.tag());
        }
        sql.append(" ORDER BY ").append(query.order().sql).append(" LIMIT ? OFFSET ?");
        args.add(query.limit());
        args.add(query.offset());
        return jdbc.query(sql.toString(), JobRows::job, args.toArray());
    }

    /** The URL a job's completion callback goes to, when it was created with one. */
    public Optional<String> completionWebhook(UUID jobId) {
        return jdbc.queryForList("""
                SELECT e.url FROM completion_webhooks c JOIN endpoints e ON e.id = c.endpoint_id WHERE c.job_id = ?""",
                String.class, jobId).stream().findFirst();
    }

    /**
     * Attempts of one job, numbered in the order they started. An external worker's successful
     * attempt is not written apart (LeaseStore): the completed job's row is its record, read here
     * as the last attempt, identified by its lease. Jobs completed before that wrote it apart:
     * their row is not read twice.
     */
    public List<AttemptRecord> attempts(UUID jobId) {
        return jdbc.query("""
                SELECT id, row_number() OVER (ORDER BY started_at, id), endpoint_id, started_at, duration_ms,
                       status_code, response_excerpt, error_class, error, worker
                FROM (SELECT id, endpoint_id, started_at, duration_ms, status_code, response_excerpt, error_class,
                             error, worker
                      FROM attempts WHERE job_id = ?
                      UNION ALL
                      SELECT j.lease_id, NULL, j.started_at,
                             floor(extract(epoch FROM j.completed_at - j.started_at) * 1000)::bigint,
                             NULL, NULL, NULL, NULL, j.assigned_worker_id::text
                      FROM jobs j
                      WHERE j.id = ? AND j.state = 'completed' AND j.endpoint_id IS NULL AND j.lease_id IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.job_id = j.id AND a.error_class IS NULL)) a
                ORDER BY started_at, id""",
                (rs, n) -> new AttemptRecord(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, UUID.class),
                        Rows.instant(rs, 4), rs.getLong(5), Rows.integer(rs, 6), rs.getString(7), rs.getString(8),
                        rs.getString(9), rs.getString(10)),
                jobId, jobId);
    }
}
