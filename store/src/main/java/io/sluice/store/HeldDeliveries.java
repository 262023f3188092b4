package io.sluice.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a pending job waits in PostgreSQL before its delivery is handed to Kafka: the outbox,
 * its FIFO endpoint's lane, or parked while its queue is paused. Taking it back from there is
 * how a cancel (or a new dependency) stops a delivery that has not left yet.
 */
final class HeldDeliveries {

    private HeldDeliveries() {
    }

    /**
     * Removes the jobs from wherever they wait in PostgreSQL, on the caller's transaction.
     *
     * @return those that were waiting there; the others' deliveries, if any, have left for Kafka
     */
    static Set<UUID> takeBack(JdbcTemplate jdbc, UUID[] jobIds) {
        Set<UUID> taken = new HashSet<>();
        if (jobIds.length == 0) {
            return taken;
        }
        for (String table : List.of("outbox", "fifo_queue", "parked_jobs")) {
            taken.addAll(jdbc.queryForList("DELETE FROM " + table + " WHERE job_id = ANY(?::uuid[]) RETURNING job_id",
                    UUID.class, (Object) jobIds));
        }
        return taken;
    }

    /** Those of the jobs that wait in PostgreSQL (left where they are). */
    static Set<UUID> waiting(JdbcTemplate jdbc, UUID[] jobIds) {
        return new HashSet<>(jdbc.queryForList("""
                SELECT job_id FROM outbox WHERE job_id = ANY(?::uuid[])
                UNION SELECT job_id FROM fifo_queue WHERE job_id = ANY(?::uuid[])
                UNION SELECT job_id FROM parked_jobs WHERE job_id = ANY(?::uuid[])""", UUID.class, jobIds, jobIds, jobIds));
    }
}
