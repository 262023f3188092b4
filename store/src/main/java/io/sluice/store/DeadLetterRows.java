package io.sluice.store;

import io.sluice.core.job.JobState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one way a job is dead-lettered without an attempt (its endpoint is disabled): the job
 * moves to {@code deadletter} and the dead-letter queue's index gets its row. Guarded like
 * every transition: a job that moved on meanwhile (completed, say) is left alone.
 */
final class DeadLetterRows {

    private DeadLetterRows() {
    }

    /** @return the job as it was dead-lettered; empty when it had moved on, or does not exist */
    static Optional<JobFacts> withoutAttempt(JdbcTemplate jdbc, UUID jobId, String reason, Instant at) {
        Timestamp now = Timestamp.from(at);
        String[] sources = JobState.sourcesOf(JobState.DEADLETTER).stream().map(JobState::wireName).toArray(String[]::new);
        return jdbc.query("""
                WITH moved AS (
                    UPDATE jobs SET state = 'deadletter', last_error = ?, next_attempt_at = NULL, updated_at = ?
                    WHERE id = ? AND state = ANY(?::text[])
                    RETURNING id, organization_id, queue_name, endpoint_id, message_id, attempts, last_status_code),
                indexed AS (
                    INSERT INTO dead_letters (job_id, organization_id, queue_name, endpoint_id, reason, dead_at)
                    SELECT id, organization_id, queue_name, endpoint_id, ?, ? FROM moved
                    ON CONFLICT (job_id) DO UPDATE SET reason = EXCLUDED.reason, dead_at = EXCLUDED.dead_at)
                SELECT id, organization_id, queue_name, endpoint_id, message_id, attempts, last_status_code FROM moved""",
                (rs, n) -> new JobFacts(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getObject(5, UUID.class), JobState.DEADLETTER.wireName(),
                        rs.getInt(6), Rows.integer(rs, 7), reason),
                reason, now, jobId, sources, reason, now).stream().findFirst();
    }
}
