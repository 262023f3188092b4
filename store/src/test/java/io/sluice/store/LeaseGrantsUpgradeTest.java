package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.job.Uuid7;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * V32 finds leases through grants instead of indexes on jobs: the leases held at the upgrade
 * get grants, so they still run out and a worker that leaves still has its jobs taken back.
 * Runs the migrations up to V31 on a schema of its own, leases jobs as V31 did, then migrates on.
 */
class LeaseGrantsUpgradeTest {

    private static final String SCHEMA = "lease_grants_upgrade_test";

    private final MutableClock clock = MutableClock.startingNow();

    @Test
    void leasesHeldAtTheUpgradeStillRunOutAndGoBackWithTheirWorker() {
        SchemaOfItsOwn.use(SCHEMA, this::upgradeWithLeasesHeld);
    }

    private void upgradeWithLeasesHeld(SchemaOfItsOwn schema) {
        schema.migrateTo("31");
        try (HikariDataSource dataSource = schema.dataSource()) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            Uuid7 ids = new Uuid7(clock, new Random());
            UUID org = UUID.randomUUID();
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("INSERT INTO organizations (id, name, slug, created_at, updated_at) VALUES (?, 'o', 'o', ?, ?)",
                    org, now, now);
            UUID runsOut = ids.next();
            UUID leftWithItsWorker = ids.next();
            UUID staying = ids.next();
            UUID worker = UUID.randomUUID();
            UUID leaving = UUID.randomUUID();
            leaseAsV31Did(jdbc, org, runsOut, worker, Duration.ofSeconds(30));
            leaseAsV31Did(jdbc, org, leftWithItsWorker, leaving, Duration.ofMinutes(10));
            leaseAsV31Did(jdbc, org, staying, worker, Duration.ofMinutes(10));

            schema.migrateTo("latest");

            JobStore jobs = new JobStore(jdbc, tx, clock, new JobDefaults(3));
            LeaseStore leases = new LeaseStore(jdbc, tx, clock, ids, new SystemEventStore(jobs, ids),
                    RetrySchedule.parse("1s", "1s"));
            assertThat(leases.releaseWorker(leaving, "the worker deregistered")).isEqualTo(1);
            clock.advance(Duration.ofSeconds(31));
            assertThat(leases.expireLeases(10)).isEqualTo(new LeaseSweep(1, 1));

            assertThat(jobs.get(org, runsOut).orElseThrow().state()).isEqualTo("pending");
            assertThat(jobs.get(org, leftWithItsWorker).orElseThrow().lastError()).isEqualTo("the worker deregistered");
            assertThat(jobs.get(org, staying).orElseThrow().state()).isEqualTo("processing");
        }
    }

    private void leaseAsV31Did(JdbcTemplate jdbc, UUID org, UUID job, UUID worker, Duration lease) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("""
                INSERT INTO jobs (id, organization_id, queue_name, state, payload, max_retries, attempts, started_at,
                                  created_at, updated_at, assigned_worker_id, lease_id, lease_expires_at)
                VALUES (?, ?, 'reports', 'processing', '{}', 3, 1, ?, ?, ?, ?, gen_random_uuid(), ?)""",
                job, org, now, now, now, worker, Timestamp.from(clock.instant().plus(lease)));
    }
}
