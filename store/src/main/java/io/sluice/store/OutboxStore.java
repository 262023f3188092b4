package io.sluice.store;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} (so
 * several relays share the work without blocking each other) and deleted in the same
 * transaction that waits for the publisher: a crash or a failed publish rolls the delete
 * back and the rows are published again. Never a "last seen id" cursor, which would skip
 * rows of transactions that commit out of id order.
 */
@Repository
public class OutboxStore {

    /** Publishes a claimed batch; returns only when every record is acknowledged, or throws. */
    @FunctionalInterface
    public interface Publisher {
        void publish(List<OutboxDelivery> batch) throws Exception;
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public OutboxStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** @return how many rows were published and removed; 0 when the outbox is empty */
    public int claimAndPublish(int limit, Publisher publisher) {
        Integer published = tx.execute(status -> {
            List<OutboxDelivery> batch = jdbc.query("""
                    WITH claimed AS (
                        DELETE FROM outbox
                        WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING id, job_id)
                    SELECT c.id, j.id, j.organization_id, j.endpoint_id, j.queue_name, j.payload::text,
                           e.url, e.secret, e.timeout_ms
                    FROM claimed c
                    JOIN jobs j ON j.id = c.job_id
                    JOIN endpoints e ON e.id = j.endpoint_id
                    ORDER BY c.id""",
                    (rs, n) -> new OutboxDelivery(rs.getLong(1), rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9)),
                    limit);
            if (batch.isEmpty()) {
                return 0;
            }
            try {
                publisher.publish(batch);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new PublishFailedException(e);
            }
            return batch.size();
        });
        return published == null ? 0 : published;
    }

    /** Rows waiting to be published: a health and lag signal. */
    public long backlog() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM outbox", Long.class);
        return count == null ? 0 : count;
    }

    /** The publisher failed; the claimed rows were put back. */
    public static class PublishFailedException extends RuntimeException {
        PublishFailedException(Throwable cause) {
            super("publishing an outbox batch failed; its rows stay in the outbox", cause);
        }
    }
}
