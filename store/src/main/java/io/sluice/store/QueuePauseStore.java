package io.sluice.store;

import io.sluice.core.kafka.QueueState;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pausing and resuming a queue. While a queue is paused the outbox relay parks its jobs in
 * {@code parked_jobs} instead of publishing them ({@link OutboxStore}), and no worker is given
 * one ({@link LeaseStore#lease}); resuming puts the parked jobs back into the outbox, in job
 * order. The relay's parking takes a share lock on the queue's row and resuming updates that
 * row first, so a job is never parked after the resume that should have released it.
 *
 * <p>Delivery workers learn of pauses from {@code sluice.queues} ({@link #publishChanged}): a
 * delivery already in Kafka whose queue is paused is parked too, by the state projector
 * ({@code ProjectionStore#park}).
 */
@Repository
public class QueuePauseStore {

    /** Publishes a batch of queue states; returns only when every record is acknowledged, or throws. */
    @FunctionalInterface
    public interface Publisher {
        void publish(List<QueueState> batch) throws Exception;
    }

    /** A paused queue: since when, and the reason given, if any. */
    public record Paused(Instant pausedAt, String reason) {
    }

    /**
     * A resumed queue.
     *
     * @param wasPaused   false when the queue was not paused (resuming it changed nothing)
     * @param pausedFor   how long it was paused; zero when it was not
     * @param released    parked jobs put back into the outbox
     */
    public record Resumed(boolean wasPaused, Duration pausedFor, int released) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SystemEventStore systemEvents;

    public QueuePauseStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, SystemEventStore systemEvents) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.systemEvents = systemEvents;
    }

    /**
     * Pauses the queue. Pausing a paused queue keeps when it was paused and takes the new reason.
     *
     * @return the pause, or empty when the organization has no such queue
     */
    public Optional<Paused> pause(UUID organizationId, String queueName, String reason) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            List<Boolean> before = jdbc.query(
                    "SELECT paused FROM queues WHERE organization_id = ? AND name = ? FOR UPDATE",
                    (rs, n) -> rs.getBoolean(1), organizationId, queueName);
            if (before.isEmpty()) {
                return Optional.empty();
            }
            Paused paused = jdbc.queryForObject("""
                    UPDATE queues SET paused = true, paused_at = CASE WHEN paused THEN paused_at ELSE ? END,
                        pause_reason = ?, updated_at = ?,
                        state_version = state_version + CASE WHEN paused THEN 0 ELSE 1 END
                    WHERE organization_id = ? AND name = ?
                    RETURNING paused_at, pause_reason""",
                    (rs, n) -> new Paused(Rows.instant(rs, 1), rs.getString(2)),
                    Rows.timestamp(now), reason, Rows.timestamp(now), organizationId, queueName);
            if (!before.getFirst()) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("queue_name", queueName);
                data.put("reason", reason);
                publish(new SystemEvent(SystemEventType.QUEUE_PAUSED, organizationId, null, now, data), now);
            }
            return Optional.of(paused);
        });
    }

    /**
     * Resumes the queue and puts its parked jobs back into the outbox, each at the attempt it had
     * reached (only those still pending: one cancelled while parked is let go).
     *
     * @return the resume, or empty when the organization has no such queue
     */
    public Optional<Resumed> resume(UUID organizationId, String queueName) {
        return tx.execute(status -> {
            Instant now = clock.instant();
            List<Instant> pausedAt = jdbc.query("""
                    SELECT CASE WHEN paused THEN coalesce(paused_at, updated_at) END
                    FROM queues WHERE organization_id = ? AND name = ? FOR UPDATE""",
                    (rs, n) -> Rows.instant(rs, 1), organizationId, queueName);
            if (pausedAt.isEmpty()) {
                return Optional.empty();
            }
            if (pausedAt.getFirst() == null) {
                return Optional.of(new Resumed(false, Duration.ZERO, 0));
            }
            jdbc.update("""
                    UPDATE queues SET paused = false, paused_at = NULL, pause_reason = NULL, updated_at = ?,
                        state_version = state_version + 1
                    WHERE organization_id = ? AND name = ?""",
                    Rows.timestamp(now), organizationId, queueName);
            int released = jdbc.update("""
                    WITH parked AS (
                        DELETE FROM parked_jobs WHERE organization_id = ? AND queue_name = ? RETURNING job_id, attempt)
                    INSERT INTO outbox (job_id, attempt)
                    SELECT p.job_id, p.attempt FROM parked p JOIN jobs j ON j.id = p.job_id AND j.state = 'pending'
                    ORDER BY p.job_id""",
                    organizationId, queueName);
            Duration pausedFor = Duration.between(pausedAt.getFirst(), now);
            publish(new SystemEvent(SystemEventType.QUEUE_RESUMED, organizationId, null, now,
                    Map.of("queue_name", queueName, "paused_duration_secs", pausedFor.toSeconds())), now);
            return Optional.of(new Resumed(true, pausedFor, released));
        });
    }

    /** @return the pause of the queue, or empty when it is not paused or does not exist */
    public Optional<Paused> paused(UUID organizationId, String queueName) {
        return jdbc.query("""
                SELECT coalesce(paused_at, updated_at), pause_reason FROM queues
                WHERE organization_id = ? AND name = ? AND paused""",
                (rs, n) -> new Paused(Rows.instant(rs, 1), rs.getString(2)), organizationId, queueName)
                .stream().findFirst();
    }

    /**
     * Hands the queue states (pause and rate limit) not yet on {@code sluice.queues} to the publisher, and records them
     * as published in the same transaction once Kafka has them. The rows stay locked meanwhile,
     * so a pause or resume made then waits, and the topic's last record of a queue is its newest.
     *
     * @return how many states were published; 0 when none was waiting
     */
    public int publishChanged(int limit, Publisher publisher) {
        Integer published = tx.execute(status -> {
            List<QueueState> batch = jdbc.query("""
                    SELECT organization_id, name, state_version, paused, rate_limit FROM queues
                    WHERE state_version > published_state_version
                    ORDER BY organization_id, name LIMIT ? FOR UPDATE SKIP LOCKED""",
                    (rs, n) -> new QueueState(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3),
                            rs.getBoolean(4), Rows.integer(rs, 5)),
                    limit);
            if (batch.isEmpty()) {
                return 0;
            }
            HandOver.run(() -> publisher.publish(batch), "queue states");
            jdbc.batchUpdate("""
                    UPDATE queues SET published_state_version = ? WHERE organization_id = ? AND name = ?""",
                    batch.stream().map(q -> new Object[] {q.version(), q.organizationId(), q.queueName()}).toList());
            return batch.size();
        });
        return published == null ? 0 : published;
    }

    private void publish(SystemEvent event, Instant now) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            systemEvents.publishWithin(connection, List.of(event), now);
            return null;
        });
    }
}
