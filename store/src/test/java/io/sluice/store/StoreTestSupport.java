package io.sluice.store;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.testkit.MigratedSchema;
import java.time.Clock;
import io.sluice.core.delivery.EndpointLimits;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The store tests' database, set up once per JVM: the real PostgreSQL of {@link io.sluice.testkit.RealServers},
 * a schema of its own migrated by Flyway, and sessions in a time zone other than the JVM's so
 * that an instant read or written through a local time shows up as a wrong value.
 * Tests isolate themselves by organization.
 */
final class StoreTestSupport {

    static final String SCHEMA = "store_test";
    /** UTC+14: as far from a UTC JVM as a zone gets. */
    static final ZoneId SESSION_ZONE = ZoneId.of("Pacific/Kiritimati");

    private static StoreTestSupport instance;

    final HikariDataSource dataSource;
    final JdbcTemplate jdbc;
    final TransactionTemplate tx;

    private StoreTestSupport() {
        ZoneId sessionZone = SESSION_ZONE.equals(TimeZone.getDefault().toZoneId()) ? ZoneId.of("America/Adak") : SESSION_ZONE;
        dataSource = MigratedSchema.open(SCHEMA, 12, "SET TIME ZONE '" + sessionZone.getId() + "'");
        jdbc = new JdbcTemplate(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        String zone = jdbc.queryForObject("SHOW TimeZone", String.class);
        String searchPath = jdbc.queryForObject("SELECT current_schema()", String.class);
        if (!sessionZone.getId().equals(zone) || !SCHEMA.equals(searchPath)) {
            throw new IllegalStateException("test sessions run in " + zone + " on schema " + searchPath);
        }

        PartitionStore partitions = new PartitionStore(jdbc, tx);
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        partitions.ensureDaily("jobs", yesterday, 9);
        partitions.ensureDaily("attempts", yesterday, 9);
    }

    static synchronized StoreTestSupport get() {
        if (instance == null) {
            instance = new StoreTestSupport();
        }
        return instance;
    }

    /** A fresh organization (with its first key), for tests that need the row, e.g. for endpoints. */
    UUID newOrganization(Clock clock) {
        UUID id = UUID.randomUUID();
        byte[] keyHash = new byte[32];
        ThreadLocalRandom.current().nextBytes(keyHash);
        boolean created = new OrganizationStore(jdbc, tx).createWithKey(new NewOrganization(
                id, "Test " + id, "test-" + id, clock.instant(), UUID.randomUUID(), "first", keyHash, "sk_test"));
        if (!created) {
            throw new IllegalStateException("slug taken: test-" + id);
        }
        return id;
    }

    Endpoint newEndpoint(UUID organizationId, Clock clock) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        Endpoint endpoint = Endpoint.created(id, organizationId, "https://receiver.test/hooks/" + id, "test receiver",
                "whsec_" + id.toString().replace("-", ""), 7_500, EndpointLimits.NONE, java.util.List.of(), Subscription.ALL,
                java.util.Map.of(), Endpoint.Ordering.NONE, now);
        new EndpointStore(jdbc).create(endpoint);
        return endpoint;
    }

    long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }

    static NewJob job(UUID id, UUID organizationId, String queue, UUID endpointId, String idempotencyKey) {
        return new NewJob(id, organizationId, queue, "{\"job\": \"" + id + "\"}", endpointId, 0, 3, null,
                idempotencyKey, null, null, null);
    }

    /** System events as the application writes them (to organizations' outgoing webhooks, if any). */
    SystemEventStore systemEvents(java.time.Clock clock) {
        return new SystemEventStore(new JobStore(jdbc, tx, clock, new JobDefaults(3)),
                new io.sluice.core.job.Uuid7(clock, new java.util.Random()));
    }
}
