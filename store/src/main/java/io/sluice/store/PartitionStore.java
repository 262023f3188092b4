package io.sluice.store;

import io.sluice.core.job.Uuid7;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

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
     * without touching the indexes (a HOT update), see V2__hot_job_updates.sql.
     */
    private static final Map<String, String> PARTITIONED = Map.of(
            "jobs", " WITH (fillfactor = 80)",
            "attempts", "");
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;

    private final JdbcTemplate jdbc;

    public PartitionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
