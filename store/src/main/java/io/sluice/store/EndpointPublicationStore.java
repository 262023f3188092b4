package io.sluice.store;

import io.sluice.core.kafka.EndpointSnapshot;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which endpoint versions still have to reach {@code sluice.endpoints}. A batch of changed
 * endpoints is locked ({@code FOR UPDATE SKIP LOCKED}: publishers on several nodes share the
 * work), handed to the publisher, and marked published in the same transaction once Kafka has
 * it. A change made meanwhile waits for the lock, so versions reach the topic in order and the
 * last record of an endpoint is always its newest version; a failed publish rolls back and the
 * versions are published again.
 */
@Repository
public class EndpointPublicationStore {

    /** Publishes a batch; returns only when every record is acknowledged, or throws. */
    @FunctionalInterface
    public interface Publisher {
        void publish(List<EndpointSnapshot> batch) throws Exception;
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public EndpointPublicationStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** @return how many endpoint versions were published; 0 when none was waiting */
    public int publishChanged(int limit, Publisher publisher) {
        Integer published = tx.execute(status -> {
            List<EndpointSnapshot> batch = jdbc.query("""
                    SELECT id, organization_id, version, url, secret, enabled, disabled_reason, rate_limit, max_concurrency,
                           previous_secret, previous_secret_until, headers
                    FROM endpoints WHERE version > published_version
                    ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""",
                    (rs, n) -> new EndpointSnapshot(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(10), Rows.instant(rs, 11),
                            rs.getBoolean(6), rs.getString(7), Rows.integer(rs, 8), Rows.integer(rs, 9),
                            Rows.textMap(rs, 12)),
                    limit);
            if (batch.isEmpty()) {
                return 0;
            }
            HandOver.run(() -> publisher.publish(batch), "endpoint versions");
            jdbc.execute((ConnectionCallback<Integer>) connection -> {
                try (PreparedStatement update = connection.prepareStatement("""
                        UPDATE endpoints e SET published_version = x.v
                        FROM unnest(?::uuid[], ?::int8[]) AS x(i, v) WHERE e.id = x.i""")) {
                    update.setArray(1, connection.createArrayOf("uuid",
                            batch.stream().map(EndpointSnapshot::id).toArray(UUID[]::new)));
                    update.setArray(2, connection.createArrayOf("int8",
                            batch.stream().map(EndpointSnapshot::version).toArray(Long[]::new)));
                    return update.executeUpdate();
                }
            });
            return batch.size();
        });
        return published == null ? 0 : published;
    }
}
