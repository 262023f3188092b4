package io.sluice.ingest.dlq;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.testkit.MigratedSchema;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The real PostgreSQL of {@link io.sluice.testkit.RealServers} with a schema of its own, migrated once per JVM.
 * Tests isolate themselves by organization.
 */
final class TestDatabase {

    private static final String SCHEMA = "ingest_test";

    private static TestDatabase instance;

    final JdbcTemplate jdbc;
    final TransactionTemplate tx;

    private TestDatabase() {
        HikariDataSource dataSource = MigratedSchema.open(SCHEMA, 4, null);
        jdbc = new JdbcTemplate(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** A fresh organization row: queues, endpoints and keys belong to one. */
    UUID newOrganization() {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO organizations (id, name, slug, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                id, "Test " + id, "test-" + id, now, now);
        return id;
    }

    static synchronized TestDatabase get() {
        if (instance == null) {
            instance = new TestDatabase();
        }
        return instance;
    }

    /** System events as the application writes them (to organizations' outgoing webhooks, if any). */
    io.sluice.store.SystemEventStore systemEvents(java.time.Clock clock) {
        return new io.sluice.store.SystemEventStore(
                new io.sluice.store.JobStore(jdbc, tx, clock, new io.sluice.store.JobDefaults(3)),
                new io.sluice.core.job.Uuid7(clock, new java.util.Random()));
    }
}
