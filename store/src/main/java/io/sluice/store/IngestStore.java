package io.sluice.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One group commit of the ingest API: the jobs and the messages of many requests, written in
 * one transaction, with one statement per table for all their jobs.
 */
@Repository
public class IngestStore {

    /** A message to publish, and its delivery job to one subscriber (empty: its payload filter refuses it). */
    public record MessageToPublish(NewMessage message, Function<Subscriber, Optional<NewJob>> deliveryTo) {
    }

    /**
     * @param jobs      one per job given, in order
     * @param messages  one per message given, in order
     * @param fifoLaned whether some of the jobs wait in a FIFO endpoint's lane
     */
    public record Written(List<InsertedJob> jobs, List<PublishedMessage> messages, boolean fifoLaned) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JobStore jobs;
    private final MessageStore messages;
    private final SystemEventStore systemEvents;
    private final Clock clock;

    public IngestStore(JdbcTemplate jdbc, TransactionTemplate tx, JobStore jobs, MessageStore messages,
                       SystemEventStore systemEvents, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.jobs = jobs;
        this.messages = messages;
        this.systemEvents = systemEvents;
        this.clock = clock;
    }

    /** @param idempotencyTtl how long a job's idempotency key keeps answering with its job */
    public Written write(List<NewJob> newJobs, List<MessageToPublish> newMessages, Duration idempotencyTtl) {
        return tx.execute(status -> jdbc.execute((ConnectionCallback<Written>) connection -> {
            Instant now = clock.instant();
            JobStore.Accepted accepted = jobs.accept(connection, newJobs, idempotencyTtl, now);
            List<NewJob> toInsert = new ArrayList<>(accepted.toInsert());
            // Messages in one global order of their keys, so that two commits sharing keys wait
            // for each other instead of deadlocking.
            Integer[] order = new Integer[newMessages.size()];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, Comparator.comparing(i -> keyOf(newMessages.get(i).message()),
                    Comparator.nullsLast(Comparator.naturalOrder())));
            List<MessageToPublish> ordered = Arrays.stream(order).map(newMessages::get).toList();
            List<MessageStore.FannedOut> fannedOut = messages.fanOutWithin(connection, ordered, now);
            PublishedMessage[] published = new PublishedMessage[newMessages.size()];
            for (int k = 0; k < order.length; k++) {
                published[order[k]] = fannedOut.get(k).published();
                toInsert.addAll(fannedOut.get(k).deliveries());
            }
            int laned = jobs.insertWithin(connection, toInsert, now);
            systemEvents.publishCreatedWithin(connection, toInsert, now);
            return new Written(accepted.results(), List.of(published), laned > 0);
        }));
    }

    private static String keyOf(NewMessage message) {
        return message.idempotencyKey() == null ? null : message.organizationId() + "/" + message.idempotencyKey();
    }
}
