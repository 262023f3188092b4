package io.sluice.store;

import io.sluice.core.job.JobState;
import io.sluice.core.system.SystemEventType;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A user's cancellation of a job that has not run, with its {@code job.cancelled} system
 * event, in one transaction that locks the job's row first. A pending job with an endpoint is
 * taken back from wherever it waits (its outbox row, FIFO lane or parked row; the relay claims
 * outbox rows under a lock, so one of the two wins, never both); when the pipeline already has
 * it, it is cancelled all the same and the answer says the delivery workers must be told.
 */
@Repository
public class CancellationStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SystemEventStore systemEvents;
    private final Clock clock;

    public CancellationStore(JdbcTemplate jdbc, TransactionTemplate tx, SystemEventStore systemEvents, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.systemEvents = systemEvents;
        this.clock = clock;
    }

    public Cancellation cancel(UUID organizationId, UUID jobId) {
        return ConflictRetry.inTransaction(tx, status -> {
            List<JobFacts> current = jdbc.query("""
                    SELECT id, organization_id, queue_name, endpoint_id, message_id, state, attempts, last_status_code,
                           last_error
                    FROM jobs WHERE id = ? AND organization_id = ? FOR UPDATE""",
                    (rs, n) -> new JobFacts(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getObject(4, UUID.class), rs.getObject(5, UUID.class),
                            rs.getString(6), rs.getInt(7), Rows.integer(rs, 8), rs.getString(9)),
                    jobId, organizationId);
            if (current.isEmpty()) {
                return new Cancellation.NotFound();
            }
            JobFacts job = current.getFirst();
            JobState state = JobState.fromWireName(job.state());
            if (!state.canMoveTo(JobState.CANCELLED)) {
                return new Cancellation.NotCancellable(state);
            }
            // A scheduled job has not been sent anywhere yet (its scheduled_jobs row is dropped when
            // its time comes, the job no longer scheduled); a pending one must still be taken
            // back from wherever it waits (outbox, FIFO lane, or parked while its queue is paused).
            boolean inFlight = false;
            if (job.endpointId() != null && state == JobState.PENDING) {
                inFlight = HeldDeliveries.takeBack(jdbc, new UUID[] {jobId}).isEmpty();
            }
            Instant now = clock.instant();
            Timestamp at = Rows.timestamp(now);
            jdbc.update("UPDATE jobs SET state = ?, completed_at = ?, updated_at = ? WHERE id = ? AND organization_id = ?",
                    JobState.CANCELLED.wireName(), at, at, jobId, organizationId);
            JobFacts cancelled = job.inState(JobState.CANCELLED.wireName());
            jdbc.execute((ConnectionCallback<Void>) connection -> {
                systemEvents.publishWithin(connection,
                        List.of(cancelled.event(SystemEventType.JOB_CANCELLED, now, Map.of())), now);
                return null;
            });
            return inFlight ? new Cancellation.CancelledInFlight() : new Cancellation.Cancelled();
        });
    }
}
