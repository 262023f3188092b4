package io.sluice.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lanes of FIFO endpoints: their jobs wait in {@code fifo_queue} (written by
 * {@link JobStore} instead of the outbox) and are released to the outbox one at a time per
 * endpoint, the next once the one before reached a final state. A job that waits for a retry
 * stays in flight, so retries keep the order, and a failing head holds up only its own
 * endpoint. A dead-lettered head lets the next one go: a lane never stops for good.
 */
@Repository
public class FifoStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public FifoStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * What one pass did.
     *
     * @param released jobs moved to the outbox
     * @param inFlight lanes with a job on its way after the pass
     */
    public record Pass(int released, int inFlight) {
    }

    /**
     * Frees the lanes whose job is final and releases the next job of every free lane, up to
     * {@code limit} lanes. Safe on several nodes at once: a lane's primary key lets one
     * release win and the other skip it.
     */
    public Pass releaseNext(int limit) {
        Pass pass = tx.execute(status -> {
            jdbc.update("""
                    DELETE FROM fifo_in_flight f
                    WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = f.job_id
                                      AND j.state NOT IN ('completed', 'failed', 'deadletter', 'cancelled'))""");
            Integer released = jdbc.queryForObject("""
                    WITH heads AS (
                        SELECT DISTINCT ON (q.endpoint_id) q.endpoint_id, q.job_id
                        FROM fifo_queue q
                        WHERE NOT EXISTS (SELECT 1 FROM fifo_in_flight f WHERE f.endpoint_id = q.endpoint_id)
                        ORDER BY q.endpoint_id, q.seq
                        LIMIT ?),
                    taken AS (
                        INSERT INTO fifo_in_flight (endpoint_id, job_id) SELECT endpoint_id, job_id FROM heads
                        ON CONFLICT (endpoint_id) DO NOTHING
                        RETURNING job_id),
                    dequeued AS (
                        DELETE FROM fifo_queue q USING taken t WHERE q.job_id = t.job_id RETURNING q.job_id),
                    relayed AS (
                        INSERT INTO outbox (job_id) SELECT job_id FROM dequeued RETURNING 1)
                    SELECT count(*)::int FROM relayed""", Integer.class, limit);
            Integer inFlight = jdbc.queryForObject("SELECT count(*)::int FROM fifo_in_flight", Integer.class);
            return new Pass(released == null ? 0 : released, inFlight == null ? 0 : inFlight);
        });
        return pass == null ? new Pass(0, 0) : pass;
    }
}
