package io.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Parking jobs of paused queues in {@code parked_jobs}, where resuming the queue finds them
 * ({@link QueuePauseStore#resume}). Used by the outbox relay and by the state projector (for
 * deliveries a worker held back); both hold jobs they believed paused.
 *
 * <p>The share lock on each queue's row waits for a resume in progress and then sees its
 * outcome: a job whose queue was resumed meanwhile goes back to the end of the outbox rather
 * than being parked after the resume that should have released it. Only pending jobs are kept:
 * one cancelled meanwhile is let go.
 */
final class ParkedJobs {

    /** A job to hold back, and the attempt it is to make when sent on (null: the first). */
    record Held(UUID organizationId, String queueName, UUID jobId, Integer attempt) {
    }

    private ParkedJobs() {
    }

    static void parkOrRequeue(Connection connection, List<Held> jobs) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                WITH x AS (
                    SELECT x.* FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::int[]) WITH ORDINALITY AS x(o, q, j, a, n)
                    JOIN jobs ON jobs.id = x.j AND jobs.state = 'pending'),
                still_paused AS (
                    SELECT organization_id, name FROM queues
                    WHERE (organization_id, name) IN (SELECT o, q FROM x) AND paused
                    FOR SHARE),
                parked AS (
                    INSERT INTO parked_jobs (organization_id, queue_name, job_id, attempt)
                    SELECT x.o, x.q, x.j, x.a FROM x JOIN still_paused s ON s.organization_id = x.o AND s.name = x.q
                    ON CONFLICT DO NOTHING)
                INSERT INTO outbox (job_id, attempt)
                SELECT x.j, x.a FROM x WHERE NOT EXISTS (
                    SELECT 1 FROM still_paused s WHERE s.organization_id = x.o AND s.name = x.q)
                ORDER BY x.n""")) {
            statement.setArray(1, connection.createArrayOf("uuid", jobs.stream().map(Held::organizationId).toArray()));
            statement.setArray(2, connection.createArrayOf("text", jobs.stream().map(Held::queueName).toArray()));
            statement.setArray(3, connection.createArrayOf("uuid", jobs.stream().map(Held::jobId).toArray()));
            statement.setArray(4, connection.createArrayOf("int4", jobs.stream().map(Held::attempt).toArray()));
            statement.execute();
        }
    }
}
