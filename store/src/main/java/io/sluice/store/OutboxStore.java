package io.sluice.store;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.work.WorkItem;
import io.sluice.core.system.SystemEventType;
import io.sluice.core.webhook.SigningKeys;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The transactional outbox. Rows are claimed with {@code FOR UPDATE SKIP LOCKED} (so
 * several relays share the work without blocking each other) and deleted in the same
 * transaction that waits for the publisher: a crash or a failed publish rolls the delete
 * back and the rows are published again. Never a "last seen id" cursor, which would skip
 * rows of transactions that commit out of id order.
 *
 * <p>The claim walks the primary key index, never the heap: under load the outbox holds
 * tens of thousands of dead rows between autovacuum runs, and a sequential scan reads every
 * one of them on every claim, so its cost grows with the backlog of dead rows rather than
 * with the batch. The planner prefers that scan (or a bitmap scan) for a table it believes
 * small, so the claim's transaction turns both off, and the claimed ids reach the DELETE as
 * an array it looks up by key.
 */
@Repository
public class OutboxStore {

    /**
     * Publishes a claimed batch: deliveries to the deliveries topic, jobs of external workers to
     * the work topic; returns only when every record is acknowledged, or throws.
     */
    @FunctionalInterface
    public interface Publisher {
        void publish(List<OutboxDelivery> deliveries, List<WorkItem> work) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(OutboxStore.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final SystemEventStore systemEvents;

    public OutboxStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, SystemEventStore systemEvents) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.systemEvents = systemEvents;
    }

    /** @return how many rows were claimed and removed (published, or dropped as undeliverable); 0 when empty */
    public int claimAndPublish(int limit, Publisher publisher) {
        Integer published = tx.execute(status -> {
            jdbc.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
            List<Claimed> batch = jdbc.query("""
                    WITH claimed AS (
                        DELETE FROM outbox
                        WHERE id = ANY(ARRAY(SELECT id FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED))
                        RETURNING id, job_id, attempt)
                    SELECT c.id, c.job_id, j.organization_id, j.endpoint_id, j.queue_name,
                           -- a worker's job travels without its payload: the lease reads it
                           CASE WHEN j.endpoint_id IS NOT NULL THEN
                    """ + JobRows.payload("j.") + """
                           END
                           , e.url, e.secret, COALESCE(j.timeout_seconds * 1000, e.timeout_ms), e.id IS NOT NULL, j.max_retries, e.rate_limit,
                           e.max_concurrency, e.enabled, e.disabled_reason, COALESCE(e.retry_schedule, q.retry_schedule), e.version,
                           e.previous_secret, e.previous_secret_until, e.headers, j.id IS NOT NULL, j.priority, j.next_attempt_at,
                           coalesce(q.paused, false), c.attempt
                    FROM claimed c
                    LEFT JOIN jobs j ON j.id = c.job_id
                    LEFT JOIN endpoints e ON e.id = j.endpoint_id
                    LEFT JOIN queues q ON q.organization_id = j.organization_id AND q.name = j.queue_name""",
                    (rs, n) -> {
                        long outboxId = rs.getLong(1);
                        UUID jobId = rs.getObject(2, UUID.class);
                        if (rs.getBoolean(24)) {
                            return new Claimed.OfPausedQueue(outboxId, jobId, rs.getObject(3, UUID.class), rs.getString(5),
                                    Rows.integer(rs, 25));
                        }
                        if (rs.getBoolean(10)) {
                            return new Claimed.Delivery(new OutboxDelivery(outboxId, jobId,
                                    rs.getObject(3, UUID.class), rs.getObject(4, UUID.class), rs.getString(5),
                                    rs.getString(6), rs.getString(7),
                                    new SigningKeys(rs.getString(8), rs.getString(18), Rows.instant(rs, 19)),
                                    Rows.textMap(rs, 20), rs.getInt(9), rs.getInt(11),
                                    new EndpointLimits(Rows.integer(rs, 12), Rows.integer(rs, 13)),
                                    rs.getLong(17), EndpointStore.schedule(rs.getString(16)),
                                    rs.getObject(25) == null ? 1 : rs.getInt(25)),
                                    rs.getBoolean(14), rs.getString(15));
                        }
                        if (rs.getBoolean(21) && rs.getObject(4) == null) {
                            return new Claimed.Work(outboxId, new WorkItem(jobId, rs.getObject(3, UUID.class),
                                    rs.getString(5), rs.getInt(22), Rows.instant(rs, 23)));
                        }
                        return new Claimed.Gone(outboxId, jobId);
                    },
                    limit);
            parkJobsOfPausedQueues(batch);
            // In outbox order, so that records sharing a Kafka key keep their order. Sorted
            // here: sorting wide rows with their payloads in the query cost more.
            batch.sort(Comparator.comparingLong(Claimed::outboxId));
            List<OutboxDelivery> deliverable = new ArrayList<>();
            List<Claimed.Delivery> disabled = new ArrayList<>();
            List<WorkItem> work = new ArrayList<>();
            for (Claimed claimed : batch) {
                switch (claimed) {
                    case Claimed.Delivery d when d.endpointEnabled() -> deliverable.add(d.delivery());
                    case Claimed.Delivery d -> disabled.add(d);
                    case Claimed.Work w -> work.add(w.item());
                    case Claimed.OfPausedQueue p -> {
                        // parked, or put back when its queue was resumed meanwhile
                    }
                    // Only possible when the job or its endpoint was removed after the job was
                    // accepted: there is nothing left to deliver.
                    case Claimed.Gone g -> log.warn("Dropping outbox row {}: job {} or its endpoint no longer exists",
                            g.outboxId(), g.jobId());
                }
            }
            deadLetterForDisabledEndpoints(disabled);
            if (batch.isEmpty()) {
                return 0;
            }
            try {
                if (!deliverable.isEmpty() || !work.isEmpty()) {
                    publisher.publish(deliverable, work);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new PublishFailedException(e);
            }
            return batch.size();
        });
        return published == null ? 0 : published;
    }

    /** A claimed row: a delivery (and whether its endpoint may be delivered to), a worker's job, or nothing left. */
    private sealed interface Claimed {

        long outboxId();

        record Delivery(OutboxDelivery delivery, boolean endpointEnabled, String disabledReason) implements Claimed {
            @Override
            public long outboxId() {
                return delivery.outboxId();
            }
        }

        record Work(long outboxId, WorkItem item) implements Claimed {
        }

        record Gone(long outboxId, UUID jobId) implements Claimed {
        }

        record OfPausedQueue(long outboxId, UUID jobId, UUID organizationId, String queueName, Integer attempt)
                implements Claimed {
        }
    }

    /** Takes the jobs of paused queues out of the batch into {@code parked_jobs} ({@link ParkedJobs}). */
    private void parkJobsOfPausedQueues(List<Claimed> batch) {
        List<ParkedJobs.Held> held = batch.stream()
                .filter(Claimed.OfPausedQueue.class::isInstance).map(Claimed.OfPausedQueue.class::cast)
                .map(c -> new ParkedJobs.Held(c.organizationId(), c.queueName(), c.jobId(), c.attempt()))
                .toList();
        if (held.isEmpty()) {
            return;
        }
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            ParkedJobs.parkOrRequeue(connection, held);
            return null;
        });
    }

    /**
     * A job whose endpoint is disabled is not sent: it is dead-lettered at once, in the claim's
     * transaction, so that it can be retried from the dead-letter queue once the endpoint is
     * enabled again.
     */
    private void deadLetterForDisabledEndpoints(List<Claimed.Delivery> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<SystemEvent> events = new ArrayList<>();
        for (Claimed.Delivery c : claimed) {
            String reason = "endpoint disabled" + (c.disabledReason() == null ? "" : ": " + c.disabledReason());
            DeadLetterRows.withoutAttempt(jdbc, c.delivery().jobId(), reason, now)
                    .ifPresent(job -> events.add(job.event(SystemEventType.JOB_DEADLETTERED, now, Map.of())));
        }
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            systemEvents.publishWithin(connection, events, now);
            return null;
        });
    }

    /**
     * Clears the dead rows and index entries that claims leave behind. Every claim walks the
     * primary key from its start, through every entry of rows already deleted until a vacuum
     * removes them; autovacuum looks at a table at most once a minute, by which time a busy
     * relay has left hundreds of thousands, and a claim of 1,000 rows took 25 to 130 ms instead
     * of about one. Skips (rather than waits) when another node is vacuuming the table.
     */
    public void vacuum() {
        jdbc.execute("VACUUM (SKIP_LOCKED) outbox");
    }

    /** Rows waiting to be published: a health and lag signal. */
    public long backlog() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM outbox", Long.class);
        return count == null ? 0 : count;
    }

    /** The publisher failed; the claimed rows were put back. */
    public static class PublishFailedException extends RuntimeException {
        PublishFailedException(Throwable cause) {
            super("publishing an outbox batch failed; its rows stay in the outbox", cause);
        }
    }
}
