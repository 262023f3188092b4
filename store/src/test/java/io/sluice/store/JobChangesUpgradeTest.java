package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.core.event.JobStateChanged;
import io.sluice.core.job.JobState;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * V30 turned job_changes into change sets: the changes waiting to be relayed at the upgrade are
 * neither lost nor altered, and keep their versions. Runs the migrations up to V29 on a schema
 * of its own, writes changes as V24 did, then migrates on.
 */
class JobChangesUpgradeTest {

    private static final String SCHEMA = "changes_upgrade_test";

    @Test
    void changesWaitingAtTheUpgradeAreRelayedAsTheyWere() {
        SchemaOfItsOwn.use(SCHEMA, this::upgradeWithChangesWaiting);
    }

    private void upgradeWithChangesWaiting(SchemaOfItsOwn schema) {
        schema.migrateTo("29");
        try (HikariDataSource dataSource = schema.dataSource()) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            UUID org = UUID.randomUUID();
            UUID job = UUID.randomUUID();
            UUID gone = UUID.randomUUID();
            Instant created = Instant.parse("2026-11-30T10:00:00Z");
            String insert = "INSERT INTO job_changes (job_id, organization_id, queue_name, old_state, new_state,"
                    + " job_created_at, priority, attempts, last_error) VALUES (?, ?, 'q', ?, ?, ?, 2, ?, ?) RETURNING id";
            Timestamp at = Timestamp.from(created);
            long first = jdbc.queryForObject(insert, Long.class, job, org, null, "pending", at, 0, null);
            long second = jdbc.queryForObject(insert, Long.class, gone, org, "completed", null, at, 1, null);
            long third = jdbc.queryForObject(insert, Long.class, job, org, "processing", "deadletter", at, 3,
                    "retries exhausted");

            schema.migrateTo("latest");

            List<JobStateChanged> relayed = new ArrayList<>();
            JobChangeStore changes = new JobChangeStore(jdbc,
                    new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
            assertThat(changes.claimAndPublish(1_000, sets -> sets.forEach(set -> relayed.addAll(set.changes())))).isEqualTo(3);
            assertThat(relayed)
                    .extracting(JobStateChanged::version, JobStateChanged::jobId, JobStateChanged::from,
                            JobStateChanged::to, JobStateChanged::attempts, JobStateChanged::error)
                    .containsExactly(tuple(first, job, null, JobState.PENDING, 0, null),
                            tuple(second, gone, JobState.COMPLETED, null, 1, null),
                            tuple(third, job, JobState.PROCESSING, JobState.DEADLETTER, 3, "retries exhausted"));
            assertThat(relayed).allSatisfy(change -> {
                assertThat(change.organizationId()).isEqualTo(org);
                assertThat(change.queueName()).isEqualTo("q");
                assertThat(change.priority()).isEqualTo(2);
                assertThat(change.createdAt()).isEqualTo(created.truncatedTo(ChronoUnit.MICROS));
                // recorded before V31 told where a job was since when: its queue, no times
                assertThat(change.fromQueueName()).isEqualTo(change.from() == null ? null : "q");
                assertThat(change.fromSince()).isNull();
                assertThat(change.since()).isNull();
            });
            // and a set written after the upgrade is versioned after them
            jdbc.update("INSERT INTO job_changes (changes, job_ids, organization_ids, queue_names, new_states,"
                    + " job_created_ats, priorities, attempts) VALUES (1, ARRAY[?]::uuid[], ARRAY[?]::uuid[], ARRAY['q'],"
                    + " ARRAY['pending'], ARRAY[now()], ARRAY[0], ARRAY[0])", UUID.randomUUID(), org);
            List<JobStateChanged> next = new ArrayList<>();
            changes.claimAndPublish(1_000, sets -> sets.forEach(set -> next.addAll(set.changes())));
            assertThat(next).singleElement().extracting(JobStateChanged::version)
                    .asInstanceOf(InstanceOfAssertFactories.LONG).isGreaterThan(third);
        }
    }
}
