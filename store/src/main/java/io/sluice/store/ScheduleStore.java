package io.sluice.store;

import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.schedule.FirePlan;
import io.sluice.core.schedule.MisfirePolicy;
import io.sluice.core.schedule.OverlapPolicy;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Cron schedules and their runs. Firing takes due schedules with {@code SKIP LOCKED} and writes,
 * in one transaction per batch, each fire's run, its job (to the outbox like any new job) and
 * the schedules' next occurrence; the unique (schedule, fire time) of a run means no occurrence
 * is fired twice, by two schedulers at once or after a restart.
 */
@Repository
public class ScheduleStore {

    private static final String COLUMNS = """
            id, organization_id, name, description, cron_expression, timezone, queue_name, endpoint_id,
            payload_template::text, priority, max_retries, timeout_seconds, tags::text, metadata::text, misfire_policy,
            overlap_policy, is_active, next_run_at, last_run_at, last_job_id, run_count, created_at, updated_at""";

    /** Decides what a due schedule fires ({@link FirePlan}); called inside the firing transaction. */
    @FunctionalInterface
    public interface Planner {
        FirePlan plan(Schedule schedule, Instant now);
    }

    /** A manual trigger's job. */
    public record Triggered(UUID jobId, Instant triggeredAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JobStore jobs;
    private final SystemEventStore systemEvents;
    private final Uuid7 ids;
    private final Clock clock;

    public ScheduleStore(JdbcTemplate jdbc, TransactionTemplate tx, JobStore jobs, SystemEventStore systemEvents,
                         Uuid7 ids, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jobs = jobs;
        this.systemEvents = systemEvents;
        this.ids = ids;
        this.clock = clock;
    }

    public void create(Schedule s) {
        jdbc.update("INSERT INTO schedules (" + COLUMNS.replace("::text", "") + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?, ?, ?, ?::jsonb,"
                        + " ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.id(), s.organizationId(), s.name(), s.description(), s.cronExpression(), s.timezone(), s.queueName(),
                s.endpointId(), s.payloadTemplate(), s.priority(), s.maxRetries(), s.timeoutSeconds(), s.tags(),
                s.metadata(), s.misfirePolicy().wireName(), s.overlapPolicy().wireName(), s.active(),
                Rows.timestamp(s.nextRunAt()), Rows.timestamp(s.lastRunAt()), s.lastJobId(), s.runCount(),
                Rows.timestamp(s.createdAt()), Rows.timestamp(s.updatedAt()));
    }

    public Optional<Schedule> get(UUID organizationId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM schedules WHERE organization_id = ? AND id = ?",
                ScheduleStore::schedule, organizationId, id).stream().findFirst();
    }

    /** Oldest first, so paging with an offset is stable while schedules are added. */
    public List<Schedule> list(UUID organizationId, int limit, int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM schedules WHERE organization_id = ? ORDER BY id LIMIT ? OFFSET ?",
                ScheduleStore::schedule, organizationId, limit, offset);
    }

    /**
     * Writes its owner's settings, whether it is active and its next occurrence (its run
     * figures are the scheduler's and stay as they are).
     *
     * @return false when the organization has no such schedule
     */
    public boolean update(Schedule s) {
        return jdbc.update("""
                UPDATE schedules SET name = ?, description = ?, cron_expression = ?, timezone = ?, queue_name = ?,
                    endpoint_id = ?, payload_template = ?::json, priority = ?, max_retries = ?, timeout_seconds = ?,
                    tags = ?::jsonb, metadata = ?::jsonb, misfire_policy = ?, overlap_policy = ?, is_active = ?,
                    next_run_at = ?, updated_at = ?
                WHERE organization_id = ? AND id = ?""",
                s.name(), s.description(), s.cronExpression(), s.timezone(), s.queueName(), s.endpointId(),
                s.payloadTemplate(), s.priority(), s.maxRetries(), s.timeoutSeconds(), s.tags(), s.metadata(),
                s.misfirePolicy().wireName(), s.overlapPolicy().wireName(), s.active(), Rows.timestamp(s.nextRunAt()),
                Rows.timestamp(s.updatedAt()), s.organizationId(), s.id()) == 1;
    }

    /** Its history goes with it; the jobs it created stay. @return false when there is no such schedule */
    public boolean delete(UUID organizationId, UUID id) {
        return jdbc.update("DELETE FROM schedules WHERE organization_id = ? AND id = ?", organizationId, id) == 1;
    }

    /**
     * Forgets the runs that happened before {@code before}, a batch at a time (run ids are
     * UUIDv7, minted when the run is written, so the primary key orders them by time).
     *
     * @return runs forgotten
     */
    public int forgetRunsBefore(Instant before) {
        String bound = Uuid7.lowerBound(before).toString();
        int forgotten = 0;
        for (int n; (n = jdbc.update("""
                DELETE FROM schedule_runs WHERE id IN (
                    SELECT id FROM schedule_runs WHERE id < ?::uuid ORDER BY id LIMIT 10000)""", bound)) > 0; ) {
            forgotten += n;
        }
        return forgotten;
    }

    /** Newest first, with each run's job as it is now. */
    public List<ScheduleRun> history(UUID organizationId, UUID scheduleId, int limit) {
        return jdbc.query("""
                SELECT r.id, r.schedule_id, r.job_id, r.status, r.error_message, r.fire_time, r.started_at,
                       j.completed_at, j.state
                FROM schedule_runs r JOIN schedules s ON s.id = r.schedule_id AND s.organization_id = ?
                LEFT JOIN jobs j ON j.id = r.job_id
                WHERE r.schedule_id = ? ORDER BY r.started_at DESC, r.fire_time DESC LIMIT ?""",
                (rs, n) -> new ScheduleRun(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5), Rows.instant(rs, 6),
                        Rows.instant(rs, 7), Rows.instant(rs, 8), rs.getString(9)),
                organizationId, scheduleId, limit);
    }

    /** When the earliest occurrence an active schedule waits for is due; empty when none waits. */
    public Optional<Instant> nextDue() {
        return Optional.ofNullable(jdbc.queryForObject(
                "SELECT min(next_run_at) FROM schedules WHERE is_active AND next_run_at IS NOT NULL",
                (rs, row) -> Rows.instant(rs, 1)));
    }

    /**
     * @param schedules the due schedules handled
     * @param jobs      the jobs they created
     */
    public record Fired(int schedules, int jobs) {
    }

    /** Fires up to {@code limit} due schedules, in one transaction. */
    public Fired fireDue(int limit, Planner planner) {
        Instant now = clock.instant();
        return tx.execute(status -> jdbc.execute((ConnectionCallback<Fired>) connection -> {
            List<Schedule> due = jdbc.query("SELECT " + COLUMNS + " FROM schedules WHERE is_active AND next_run_at <= ?"
                            + " ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED",
                    ScheduleStore::schedule, Rows.timestamp(now), limit);
            List<Fire> fires = new ArrayList<>();
            UUID[] scheduleIds = new UUID[due.size()];
            String[] nextRuns = new String[due.size()];
            for (int i = 0; i < due.size(); i++) {
                Schedule schedule = due.get(i);
                FirePlan plan = planner.plan(schedule, now);
                boolean overlapping = !plan.fires().isEmpty() && schedule.overlapPolicy() == OverlapPolicy.SKIP_IF_RUNNING
                        && stillRunning(schedule.lastJobId());
                for (Instant fireTime : plan.fires()) {
                    fires.add(new Fire(schedule, fireTime, overlapping ? null : ids.next()));
                }
                scheduleIds[i] = schedule.id();
                nextRuns[i] = plan.nextRunAt().map(Instant::toString).orElse(null);
            }
            Map<UUID, List<UUID>> jobsBySchedule = write(connection, fires, now);
            if (!due.isEmpty()) {
                // The next occurrence and the run figures in one update: each is a new row
                // version of the schedule (next_run_at is indexed, so never a HOT one).
                int[] runs = new int[due.size()];
                UUID[] lastJobs = new UUID[due.size()];
                for (int i = 0; i < due.size(); i++) {
                    List<UUID> created = jobsBySchedule.getOrDefault(scheduleIds[i], List.of());
                    runs[i] = created.size();
                    lastJobs[i] = created.isEmpty() ? null : created.getLast();
                }
                try (PreparedStatement next = connection.prepareStatement("""
                        UPDATE schedules s SET next_run_at = x.n::timestamptz,
                            last_run_at = CASE WHEN x.c > 0 THEN ? ELSE s.last_run_at END,
                            run_count = s.run_count + x.c, last_job_id = coalesce(x.j, s.last_job_id)
                        FROM unnest(?::uuid[], ?::text[], ?::int[], ?::uuid[]) AS x(i, n, c, j) WHERE s.id = x.i""")) {
                    next.setTimestamp(1, Rows.timestamp(now));
                    next.setArray(2, connection.createArrayOf("uuid", scheduleIds));
                    // As ISO text with its offset: a timestamp array is read in the session's time zone.
                    next.setArray(3, connection.createArrayOf("text", nextRuns));
                    next.setArray(4, connection.createArrayOf("int4", Arrays.stream(runs).boxed().toArray()));
                    next.setArray(5, connection.createArrayOf("uuid", lastJobs));
                    next.executeUpdate();
                }
            }
            return new Fired(due.size(), jobsBySchedule.values().stream().mapToInt(List::size).sum());
        }));
    }

    /**
     * Fires the schedule now, whatever its expression says and whether or not it is paused;
     * its next occurrence stays as it is.
     *
     * @return empty when the organization has no such schedule
     */
    public Optional<Triggered> trigger(UUID organizationId, UUID id) {
        Instant now = clock.instant();
        return tx.execute(status -> jdbc.execute((ConnectionCallback<Optional<Triggered>>) connection -> {
            List<Schedule> found = jdbc.query("SELECT " + COLUMNS
                            + " FROM schedules WHERE organization_id = ? AND id = ? FOR UPDATE",
                    ScheduleStore::schedule, organizationId, id);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Schedule schedule = found.getFirst();
            // Two triggers within a millisecond would share a fire time: the later one gets the next.
            Instant fireTime = now.truncatedTo(ChronoUnit.MILLIS);
            while (jdbc.queryForObject("SELECT count(*) FROM schedule_runs WHERE schedule_id = ? AND fire_time = ?",
                    Integer.class, id, Rows.timestamp(fireTime)) > 0) {
                fireTime = fireTime.plusMillis(1);
            }
            Fire fire = new Fire(schedule, fireTime, ids.next());
            if (!write(connection, List.of(fire), now).isEmpty()) {
                try (PreparedStatement figures = connection.prepareStatement("""
                        UPDATE schedules SET last_run_at = ?, run_count = run_count + 1, last_job_id = ? WHERE id = ?""")) {
                    figures.setTimestamp(1, Rows.timestamp(now));
                    figures.setObject(2, fire.jobId());
                    figures.setObject(3, schedule.id());
                    figures.executeUpdate();
                }
            }
            return Optional.of(new Triggered(fire.jobId(), now));
        }));
    }

    /** One occurrence to handle: a job to create, or (jobId null) one skipped because the last is running. */
    private record Fire(Schedule schedule, Instant fireTime, UUID jobId) {
        String key() {
            return schedule.id() + "@" + fireTime;
        }
    }

    private boolean stillRunning(UUID lastJobId) {
        if (lastJobId == null) {
            return false;
        }
        List<String> state = jdbc.queryForList("SELECT state FROM jobs WHERE id = ?", String.class, lastJobId);
        return !state.isEmpty() && !JobState.fromWireName(state.getFirst()).hasEnded();
    }

    /**
     * The runs, then the jobs of the runs that were new (an occurrence already recorded is not
     * fired again) and their system events; the callers update the schedules' run figures.
     *
     * @return the jobs created, by schedule, oldest first
     */
    private Map<UUID, List<UUID>> write(Connection connection, List<Fire> fires, Instant now) throws SQLException {
        if (fires.isEmpty()) {
            return Map.of();
        }
        Set<String> recorded = recordRuns(connection, fires, now);
        List<NewJob> created = new ArrayList<>();
        List<SystemEvent> events = new ArrayList<>();
        Map<UUID, List<UUID>> jobsBySchedule = new LinkedHashMap<>();
        for (Fire fire : fires) {
            if (fire.jobId() == null || !recorded.contains(fire.key())) {
                continue;
            }
            created.add(fire.schedule().job(fire.jobId(), fire.fireTime()));
            jobsBySchedule.computeIfAbsent(fire.schedule().id(), id -> new ArrayList<>()).add(fire.jobId());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("schedule_id", fire.schedule().id().toString());
            data.put("schedule_name", fire.schedule().name());
            data.put("job_id", fire.jobId().toString());
            data.put("queue_name", fire.schedule().queueName());
            data.put("fire_time", fire.fireTime().toString());
            events.add(new SystemEvent(SystemEventType.SCHEDULE_TRIGGERED, fire.schedule().organizationId(),
                    fire.schedule().endpointId(), now, data));
        }
        jobs.insertWithin(connection, created, now);
        systemEvents.publishCreatedWithin(connection, created, now);
        systemEvents.publishWithin(connection, events, now);
        return jobsBySchedule;
    }

    /**
     * Writes the fires' runs in one statement; an occurrence already recorded (by another
     * scheduler, or before a restart) is left as it was.
     *
     * @return the {@link Fire#key()}s of the runs written now
     */
    private Set<String> recordRuns(Connection connection, List<Fire> fires, Instant now) throws SQLException {
        int n = fires.size();
        UUID[] runIds = new UUID[n];
        UUID[] scheduleIds = new UUID[n];
        String[] fireTimes = new String[n];
        UUID[] jobIds = new UUID[n];
        for (int i = 0; i < n; i++) {
            Fire fire = fires.get(i);
            runIds[i] = ids.next();
            scheduleIds[i] = fire.schedule().id();
            fireTimes[i] = fire.fireTime().toString();
            jobIds[i] = fire.jobId();
        }
        Set<String> recorded = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO schedule_runs (id, schedule_id, fire_time, job_id, status, error_message, started_at)
                SELECT x.r, x.s, x.f::timestamptz, x.j, CASE WHEN x.j IS NULL THEN 'skipped' ELSE 'triggered' END,
                       CASE WHEN x.j IS NULL THEN ? END, ?
                FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::uuid[]) AS x(r, s, f, j)
                ON CONFLICT (schedule_id, fire_time) DO NOTHING
                RETURNING schedule_id, fire_time""")) {
            insert.setString(1, "the job of the previous run has not ended (overlap policy skip_if_running)");
            insert.setTimestamp(2, Rows.timestamp(now));
            insert.setArray(3, connection.createArrayOf("uuid", runIds));
            insert.setArray(4, connection.createArrayOf("uuid", scheduleIds));
            // As ISO text with its offset: a timestamp array is read in the session's time zone.
            insert.setArray(5, connection.createArrayOf("text", fireTimes));
            insert.setArray(6, connection.createArrayOf("uuid", jobIds));
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    recorded.add(rs.getObject(1, UUID.class) + "@" + rs.getTimestamp(2).toInstant());
                }
            }
        }
        return recorded;
    }

    private static Schedule schedule(ResultSet rs, int row) throws SQLException {
        return new Schedule(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8, UUID.class), rs.getString(9),
                rs.getInt(10), Rows.integer(rs, 11), Rows.integer(rs, 12), rs.getString(13), rs.getString(14),
                MisfirePolicy.fromWireName(rs.getString(15)).orElseThrow(),
                OverlapPolicy.fromWireName(rs.getString(16)).orElseThrow(), rs.getBoolean(17), Rows.instant(rs, 18),
                Rows.instant(rs, 19), rs.getObject(20, UUID.class), rs.getLong(21), Rows.instant(rs, 22),
                Rows.instant(rs, 23));
    }
}
