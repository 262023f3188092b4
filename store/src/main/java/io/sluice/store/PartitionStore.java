package io.sluice.store;

import io.sluice.core.job.Uuid7;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Daily partitions of the tables partitioned by UUIDv7 id. A partition covers the ids
 * minted during one UTC day, so retention later drops a day with one statement.
 */
@Repository
public class PartitionStore {

    private static final Logger log = LoggerFactory.getLogger(PartitionStore.class);
    /**
     * The partitioned tables and the storage options of their partitions. A job row is
     * updated after each attempt; free room on its page lets that update stay on the page
     * without touching the indexes (a HOT update), see V2__hot_job_updates.sql; half of each
     * page, so the jobs of a page changing together all stay on it (V29__job_pages_half_free.sql).
     */
    private static final Map<String, String> PARTITIONED = Map.of(
            "jobs", " WITH (fillfactor = 50)",
            "attempts", "");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

    /** Jobs that have ended for good; every other job outlives its day's partition. */
    private static final String DROPPABLE_STATES = "('completed', 'cancelled')";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PartitionStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /**
     * Retention: drops the daily partitions of {@code jobs} and {@code attempts} of the days
     * before {@code before}, keeping what must outlive them: jobs not completed or cancelled
     * (dead-lettered ones until purged, and any still under way) and the attempts of those. Per
     * day and table, in one transaction: the partition is detached, the rows to keep go back
     * through the parent (into the default partition, as their day has none any more) and the
     * detached table is dropped. No large DELETE; the detach briefly locks the parent table.
     *
     * @return partitions dropped
     */
    public int dropDaysBefore(LocalDate before) {
        int dropped = 0;
        for (String table : List.of("jobs", "attempts")) {
            for (String partition : daysBefore(table, before)) {
                tx.executeWithoutResult(status -> {
                    jdbc.execute("ALTER TABLE " + table + " DETACH PARTITION " + partition);
                    jdbc.execute(table.equals("jobs")
                            ? "INSERT INTO jobs SELECT * FROM " + partition + " WHERE state NOT IN " + DROPPABLE_STATES
                            : "INSERT INTO attempts SELECT a.* FROM " + partition + " a WHERE EXISTS (SELECT 1 FROM jobs j"
                                    + " WHERE j.id = a.job_id AND j.state NOT IN " + DROPPABLE_STATES + ")");
                    if (table.equals("jobs")) {
                        // Dropping a partition fires no trigger: tell the readers of job_changes
                        // (the stats) that these jobs are gone.
                        // (in sets of 1,000, as the triggers write them, see V30)
                        jdbc.execute("INSERT INTO job_changes (changes, job_ids, organization_ids, queue_names,"
                                + " old_states, job_created_ats, priorities, attempts, old_sinces)"
                                + " SELECT count(*), array_agg(id), array_agg(organization_id), array_agg(queue_name),"
                                + " array_agg(state), array_agg(created_at), array_agg(priority), array_agg(attempts),"
                                + " array_agg(updated_at)"
                                + " FROM (SELECT id, organization_id, queue_name, state, created_at, priority, attempts,"
                                + " updated_at,"
                                + " (row_number() OVER (ORDER BY id) - 1) / 1000 AS chunk FROM " + partition
                                + " WHERE state IN " + DROPPABLE_STATES + ") gone GROUP BY chunk ORDER BY chunk");
                    }
                    jdbc.execute("DROP TABLE " + partition);
                });
                log.info("Retention dropped partition {}", partition);
                dropped++;
            }
        }
        // Completion callbacks of jobs no longer kept anywhere.
        jdbc.update("""
                DELETE FROM completion_webhooks c WHERE c.job_id < ?::uuid
                    AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = c.job_id)""",
                Uuid7.lowerBound(before.atStartOfDay().toInstant(ZoneOffset.UTC)).toString());
        return dropped;
    }

    /** The table's daily partitions of days before {@code before}, oldest first. */
    private List<String> daysBefore(String table, LocalDate before) {
        return jdbc.queryForList("""
                SELECT c.relname FROM pg_inherits i
                JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = to_regclass(?) AND c.relname ~ ?
                ORDER BY c.relname""", String.class, table, "^" + table + "_p[0-9]{8}$").stream()
                .filter(name -> LocalDate.parse(name.substring(table.length() + 2), SUFFIX).isBefore(before))
                .toList();
    }

    /** Creates the partitions of {@code days} days from {@code first}, skipping existing ones. */
    public int ensureDaily(String table, LocalDate first, int days) {
        if (!PARTITIONED.containsKey(table)) {
            throw new IllegalArgumentException("not a partitioned table: " + table);
        }
        int created = 0;
        for (int d = 0; d < days; d++) {
            LocalDate day = first.plusDays(d);
            String name = table + "_p" + day.format(SUFFIX);
            Boolean exists = jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, name);
            if (Boolean.TRUE.equals(exists)) {
                continue;
            }
            String from = Uuid7.lowerBound(day.atStartOfDay().toInstant(ZoneOffset.UTC)).toString();
            String to = Uuid7.lowerBound(day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)).toString();
            try {
                jdbc.execute("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + table
                        + " FOR VALUES FROM ('" + from + "') TO ('" + to + "')" + PARTITIONED.get(table));
                created++;
            } catch (DataAccessException e) {
                // Another node created it, or rows of that day already sit in the default
                // partition; either way inserts keep working, so warn and go on.
                log.warn("Could not create partition {}: {}", name, e.getMostSpecificCause().getMessage());
            }
        }
        return created;
    }
}
