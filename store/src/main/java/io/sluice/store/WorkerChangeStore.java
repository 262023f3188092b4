package io.sluice.store;

import io.sluice.core.event.WorkerChanged;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The changes of external workers that triggers on {@code workers} record (V26), on their way
 * to {@code sluice.events}: claimed, published and deleted like job changes
 * ({@link JobChangeStore}), so each is published at least once, in order per worker.
 */
@Repository
public class WorkerChangeStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public WorkerChangeStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** @return how many changes were published and removed; 0 when there were none */
    public int claimAndPublish(int limit, ClaimedBatch.Publisher<WorkerChanged> publisher) {
        Integer published = tx.execute(status -> {
            List<WorkerChanged> batch = jdbc.query("""
                    DELETE FROM worker_changes
                    WHERE id = ANY(ARRAY(SELECT id FROM worker_changes ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED))
                    RETURNING id, worker_id, organization_id, queue_name, hostname, kind, status, current_jobs,
                              changed_at""",
                    (rs, n) -> new WorkerChanged(rs.getLong(1), rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5),
                            WorkerChanged.Kind.fromWireName(rs.getString(6)), rs.getString(7), rs.getInt(8),
                            Rows.instant(rs, 9)),
                    limit);
            return ClaimedBatch.publish(batch.stream().sorted(Comparator.comparingLong(WorkerChanged::version)).toList(),
                    publisher);
        });
        return published == null ? 0 : published;
    }
}
