package io.sluice.store;

import io.sluice.core.job.JobState;
import io.sluice.core.job.Uuid7;
import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Repository;

/**
 * Publishes system events to the outgoing webhooks subscribed to them, inside the transaction
 * of the change they report (a job's move, an endpoint disabled, jobs accepted): an event is
 * sent if and only if its change committed, once. Each event is written like a message (one
 * {@code messages} row) with one delivery job per subscriber, so it travels the same durable,
 * signed, retried pipeline as every other webhook. A job created with a {@code completion_webhook}
 * has its outcome event ({@code job.completed}, {@code job.deadlettered}, {@code job.cancelled})
 * sent to that URL the same way.
 */
@Repository
public class SystemEventStore {

    private final JobStore jobs;
    private final Uuid7 ids;

    public SystemEventStore(JobStore jobs, Uuid7 ids) {
        this.jobs = jobs;
        this.ids = ids;
    }

    /** An outgoing webhook of an organization. */
    private record Receiver(UUID id, UUID organizationId, boolean enabled, List<String> events) {
    }

    /**
     * Writes the events' deliveries on a connection whose transaction the caller owns, and decides
     * for the jobs that waited for the jobs whose ends they report ({@link DependencyDecisions}).
     * While the events' organizations have no outgoing webhooks and no job waits for another, this
     * costs a probe of an empty index each.
     */
    void publishWithin(Connection connection, List<SystemEvent> events, Instant now) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        Set<UUID> organizations = new HashSet<>();
        events.forEach(event -> organizations.add(event.organizationId()));
        List<Receiver> receivers = receiversOf(connection, organizations);
        if (!receivers.isEmpty()) {
            publish(connection, receivers, events, now);
        }
        callBack(connection, events, now);
        // Jobs that waited for the ones that ended: released or cancelled now, and a cancellation
        // is published in turn, which decides for the jobs that waited for those.
        publishWithin(connection, DependencyDecisions.settleWithin(connection, events, now), now);
    }

    /**
     * The jobs that ended and were created with a {@code completion_webhook}: their outcome
     * event goes to their completion endpoint too. One probe of a primary key per ending job.
     */
    private void callBack(Connection connection, List<SystemEvent> events, Instant now) throws SQLException {
        Map<UUID, SystemEvent> outcomes = new LinkedHashMap<>();
        for (SystemEvent event : events) {
            if (event.type().isJobOutcome() && event.jobId() != null) {
                outcomes.put(event.jobId(), event);
            }
        }
        if (outcomes.isEmpty()) {
            return;
        }
        List<Written> written = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT job_id, endpoint_id FROM completion_webhooks WHERE job_id = ANY(?::uuid[])")) {
            select.setArray(1, connection.createArrayOf("uuid", outcomes.keySet().toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    SystemEvent outcome = outcomes.get(rs.getObject(1, UUID.class));
                    Receiver callback = new Receiver(rs.getObject(2, UUID.class), outcome.organizationId(), true,
                            List.of());
                    written.add(written(outcome, List.of(callback)));
                }
            }
        }
        write(connection, written, now);
    }

    /**
     * {@code job.created} for jobs being written; the events are built only when one of their
     * organizations has an outgoing webhook, which keeps the ingest path free of them otherwise.
     */
    void publishCreatedWithin(Connection connection, List<NewJob> created, Instant now) throws SQLException {
        publishCreatedWithin(connection, created, Set.of(), now);
    }

    /** @param held the jobs written to wait for their dependencies ({@code scheduled}) */
    void publishCreatedWithin(Connection connection, List<NewJob> created, Set<UUID> held, Instant now)
            throws SQLException {
        if (created.isEmpty()) {
            return;
        }
        Set<UUID> organizations = new HashSet<>();
        created.forEach(job -> organizations.add(job.organizationId()));
        publishNoticesWithin(connection, organizations, () -> created.stream()
                .map(job -> JobFacts.created(job, held.contains(job.id()) || job.isScheduledAfter(now)
                        ? JobState.SCHEDULED.wireName() : JobState.PENDING.wireName())
                        .event(SystemEventType.JOB_CREATED, now, Map.of())).toList(), now);
    }

    /**
     * Events that end no job, such as {@code job.created} and {@code job.started}: they call no one
     * back and release no dependents, so they are only for outgoing webhooks, and are built only
     * when one of the organizations has one. That keeps the paths that create and hand out jobs free
     * of them otherwise.
     */
    void publishNoticesWithin(Connection connection, Set<UUID> organizations, Supplier<List<SystemEvent>> notices,
                              Instant now) throws SQLException {
        List<Receiver> receivers = receiversOf(connection, organizations);
        if (!receivers.isEmpty()) {
            List<SystemEvent> events = notices.get();
            if (events.stream().anyMatch(event -> event.type().isJobOutcome())) {
                throw new IllegalArgumentException("a job's outcome is no notice: publish it with publishWithin");
            }
            publish(connection, receivers, events, now);
        }
    }

    private void publish(Connection connection, List<Receiver> receivers, List<SystemEvent> events, Instant now)
            throws SQLException {
        // Every outgoing webhook, enabled or not, so that an event about one is recognised.
        Set<UUID> outgoing = new HashSet<>();
        receivers.forEach(receiver -> outgoing.add(receiver.id()));
        List<Written> written = new ArrayList<>();
        for (SystemEvent event : events) {
            if (event.aboutEndpoint() != null && outgoing.contains(event.aboutEndpoint())) {
                continue;
            }
            List<Receiver> subscribed = receivers.stream()
                    .filter(r -> r.enabled() && r.organizationId().equals(event.organizationId())
                            && r.events().contains(event.type().wireName()))
                    .toList();
            if (!subscribed.isEmpty()) {
                written.add(written(event, subscribed));
            }
        }
        write(connection, written, now);
    }

    /**
     * Sends one event to one outgoing webhook, whatever it subscribes to (the test route's {@code webhook.test}).
     *
     * @return the id of its delivery job
     */
    UUID publishToWithin(Connection connection, SystemEvent event, UUID outgoingWebhook, Instant now)
            throws SQLException {
        Written written = written(event, List.of(new Receiver(outgoingWebhook, event.organizationId(), true, List.of())));
        write(connection, List.of(written), now);
        return written.deliveries().getFirst().id();
    }

    /** An event as a message, and its delivery job to each receiver. */
    private record Written(NewMessage message, List<NewJob> deliveries) {
    }

    private Written written(SystemEvent event, List<Receiver> receivers) {
        String body = event.body();
        String type = event.type().wireName();
        NewMessage message = new NewMessage(ids.next(), event.organizationId(), type, body, List.of(), null);
        // A test is one attempt, reported to whoever asked; it is not retried for days.
        Integer maxRetries = event.type() == SystemEventType.WEBHOOK_TEST ? 0 : null;
        List<NewJob> deliveries = new ArrayList<>(receivers.size());
        for (Receiver receiver : receivers) {
            deliveries.add(new NewJob(ids.next(), event.organizationId(), type, body, receiver.id(), 0, maxRetries,
                    null, null, null, null, message.id()));
        }
        return new Written(message, deliveries);
    }

    /** The messages in one batch, then all of their deliveries in one statement per table. */
    private void write(Connection connection, List<Written> written, Instant now) throws SQLException {
        if (written.isEmpty()) {
            return;
        }
        MessageStore.insertMessages(connection, written.stream().map(Written::message).toList(), now);
        jobs.insertWithin(connection, written.stream().flatMap(w -> w.deliveries().stream()).toList(), now);
    }

    private static List<Receiver> receiversOf(Connection connection, Set<UUID> organizations) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, organization_id, enabled, event_types FROM endpoints
                WHERE kind = 'system' AND organization_id = ANY(?::uuid[])""")) {
            select.setArray(1, connection.createArrayOf("uuid", organizations.toArray()));
            List<Receiver> receivers = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    receivers.add(new Receiver(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getBoolean(3), Rows.texts(rs, 4)));
                }
            }
            return receivers;
        }
    }
}
