package io.sluice.store;

import io.sluice.core.event.JobChangeSet;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.job.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The changes of job states that triggers on {@code jobs} record (V24), on their way to
 * {@code sluice.events}: a row (a set) per statement and 1,000 jobs (V30), each change versioned
 * by its set's id, and published as a set ({@link JobChangeSet}). Claimed, published and deleted
 * like the outbox ({@link OutboxStore}): rows are deleted in the transaction that waited for
 * Kafka's acknowledgement, so a set is published at least once, whole; readers drop repeats by
 * {@link JobChangeSet#version()}.
 */
@Repository
public class JobChangeStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public JobChangeStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * @param limit changes to claim, in whole sets (the last set taken may go beyond it)
     * @return how many changes were published and removed; 0 when there were none
     */
    public int claimAndPublish(int limit, ClaimedBatch.Publisher<JobChangeSet> publisher) {
        Integer published = tx.execute(status -> {
            // See OutboxStore: walk the key, never the dead rows of the heap.
            jdbc.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
            // Whole sets, oldest first, until they hold the limit: the sets up to the first that
            // reaches it (all of one statement's set, however large).
            List<JobStateChanged> changes = jdbc.query("""
                    WITH taken AS (
                        DELETE FROM job_changes
                        WHERE id = ANY(ARRAY(
                            SELECT id FROM job_changes
                            WHERE id <= (SELECT max(id) FROM (
                                    SELECT id, sum(changes) OVER (ORDER BY id) - changes AS before
                                    FROM (SELECT id, changes FROM job_changes ORDER BY id LIMIT ?) oldest) counted
                                WHERE before < ?)
                            ORDER BY id FOR UPDATE SKIP LOCKED))
                        RETURNING *)
                    SELECT t.id, c.job_id, c.organization_id, c.queue_name, c.old_state, c.new_state, c.job_created_at,
                           c.priority, c.attempts, c.last_error, t.changed_at, c.old_queue_name, c.old_since,
                           c.new_since
                    FROM taken t,
                         unnest(t.job_ids, t.organization_ids, t.queue_names, t.old_states, t.new_states,
                                t.job_created_ats, t.priorities, t.attempts, t.last_errors, t.old_queue_names,
                                t.old_sinces, t.new_sinces) WITH ORDINALITY
                             AS c(job_id, organization_id, queue_name, old_state, new_state, job_created_at, priority,
                                  attempts, last_error, old_queue_name, old_since, new_since, n)
                    ORDER BY t.id, c.n""",
                    (rs, n) -> new JobStateChanged(rs.getLong(1), rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class), rs.getString(4), state(rs.getString(5)),
                            state(rs.getString(6)), Rows.instant(rs, 7), rs.getInt(8), rs.getInt(9), rs.getString(10),
                            Rows.instant(rs, 11), rs.getString(12), Rows.instant(rs, 13), Rows.instant(rs, 14)),
                    limit, limit);
            List<JobChangeSet> sets = new ArrayList<>();
            for (int start = 0, end; start < changes.size(); start = end) {
                long version = changes.get(start).version();
                end = start + 1;
                while (end < changes.size() && changes.get(end).version() == version) {
                    end++;
                }
                sets.add(new JobChangeSet(version, changes.subList(start, end)));
            }
            ClaimedBatch.publish(sets, publisher);
            return changes.size();
        });
        return published == null ? 0 : published;
    }

    private static JobState state(String wireName) {
        return wireName == null ? null : JobState.fromWireName(wireName);
    }

    /** Changes waiting to be published: a lag signal. */
    public long backlog() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM job_changes", Long.class);
        return count == null ? 0 : count;
    }

    /** See {@link OutboxStore#vacuum()}: the same churn, the same remedy. */
    public void vacuum() {
        jdbc.execute("VACUUM (SKIP_LOCKED) job_changes");
    }
}
