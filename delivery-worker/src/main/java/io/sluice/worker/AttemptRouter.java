package io.sluice.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.delivery.RetryPolicy;
import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.delivery.RetryPolicy.NextStep;
import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.event.DeliveryParked;
import io.sluice.core.event.DeliveryWithheld;
import io.sluice.core.job.JobState;
import io.sluice.core.kafka.DeadLetter;
import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.kafka.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Decides what follows an attempt ({@link RetryPolicy}) and makes that durable: the attempt
 * event with the job's new state, and for a retry the next attempt's record on its tier, for
 * a dead letter the record on {@code sluice.dlq}. Only when Kafka has every one of them is
 * the delivery's fate durable and its offset free to commit.
 */
@Component
public class AttemptRouter {

    private final RetryPolicy policy;
    private final RecordSender sender;
    private final EventPublisher events;
    private final Topics topics;
    private final Clock clock;
    private final Counter retried;
    private final Counter deadLettered;
    private final RetrySchedule schedule;
    private final MeterRegistry meters;
    private final QueueMetrics queueMetrics;

    public AttemptRouter(RetryPolicy policy, RetrySchedule schedule, RecordSender sender, EventPublisher events,
                         Topics topics, Clock clock, MeterRegistry meters, QueueMetrics queueMetrics) {
        this.queueMetrics = queueMetrics;
        this.policy = policy;
        this.schedule = schedule;
        this.meters = meters;
        this.sender = sender;
        this.events = events;
        this.topics = topics;
        this.clock = clock;
        this.retried = meters.counter("sluice.worker.retries");
        this.deadLettered = meters.counter("sluice.worker.dead_letters");
    }

    /** @param onDurable run once, when every record this attempt leads to is acknowledged */
    public void route(DeliveryMessage delivery, AttemptReport report, Runnable onDurable) {
        Instant now = clock.instant();
        NextStep next = policy.decide(scheduleOf(delivery), report.outcome(), delivery.attempt(),
                delivery.maxRetries(), report.retryAfter(), now);
        queueMetrics.attempted(delivery, switch (next) {
            case NextStep.Complete complete -> QueueMetrics.Outcome.DELIVERED;
            case NextStep.Retry retry -> QueueMetrics.Outcome.RETRIED;
            case NextStep.DeadLetter dead -> QueueMetrics.Outcome.DEAD_LETTERED;
            case NextStep.DisableEndpoint gone -> QueueMetrics.Outcome.DEAD_LETTERED;
        }, report.durationMs());
        switch (next) {
            case NextStep.Complete complete ->
                    events.publish(event(delivery, report, JobState.COMPLETED, null, null, false), onDurable);
            case NextStep.Retry retry -> {
                retried.increment();
                Runnable bothDurable = afterBoth(onDurable);
                DeliveryMessage again = delivery.next(report.summary(), retry.due());
                sender.send(topics.retryTier(retry.tier()), again.key(), again.headers(), again.payload(), bothDurable);
                events.publish(event(delivery, report, JobState.PENDING, retry.due(), null, false), bothDurable);
            }
            case NextStep.DeadLetter dead -> deadLetter(delivery, report, dead.reason(), false, now, onDurable);
            // The projector disables the endpoint; the job is given up either way.
            case NextStep.DisableEndpoint gone -> deadLetter(delivery, report, gone.reason(), true, now, onDurable);
        }
    }

    /** The endpoint's own schedule, or the default; an endpoint delay without a tier (the tiers changed) falls back. */
    private RetrySchedule scheduleOf(DeliveryMessage delivery) {
        if (delivery.retrySchedule().isEmpty()) {
            return schedule;
        }
        try {
            return schedule.withDelays(delivery.retrySchedule());
        } catch (IllegalArgumentException tierGone) {
            return schedule;
        }
    }

    /**
     * Sends a delivery its endpoint could not take now ({@link EndpointGate}) to wait in a
     * retry tier. No attempt was made, so none is spent and no event is written: the job
     * simply stays pending.
     *
     * @param onDurable run once, when the deferred record is acknowledged
     */
    public void defer(DeliveryMessage delivery, EndpointGate.Admission.Deferred deferred, Runnable onDurable) {
        Duration shortest = schedule.tiers().getFirst();
        Duration wait = deferred.delay().compareTo(shortest) < 0 && !deferred.slotReserved() ? shortest : deferred.delay();
        DeliveryMessage later = delivery.deferredTo(clock.instant().plus(wait), deferred.slotReserved());
        meters.counter("sluice.worker.deferrals", "reason", deferred.reason()).increment();
        sender.send(topics.retryTier(schedule.tierFor(wait)), later.key(), later.headers(), later.payload(), onDurable);
    }

    /**
     * Sends a delivery its queue's rate limit does not let start now to wait in a retry tier,
     * keeping its attempt; a booked start travels with it, so it is not counted twice.
     *
     * @param onDurable run once, when the deferred record is acknowledged
     */
    public void deferForQueue(DeliveryMessage delivery, QueueRateLimits.Start start, Runnable onDurable) {
        DeliveryMessage later = switch (start) {
            case QueueRateLimits.Start.Booked booked -> delivery.deferredByQueueTo(clock.instant().plus(booked.in()));
            case QueueRateLimits.Start.FullyBooked full -> delivery.deferredTo(clock.instant().plus(full.retryIn()), false);
            case QueueRateLimits.Start.Now now -> throw new IllegalArgumentException("nothing to defer: it may start now");
        };
        Duration wait = Duration.between(clock.instant(), later.dueAt());
        meters.counter("sluice.worker.deferrals", "reason", "queue rate limited").increment();
        sender.send(topics.retryTier(schedule.tierFor(wait)), later.key(), later.headers(), later.payload(), onDurable);
    }

    /**
     * Gives up a delivery without attempting it: its endpoint is disabled. The record goes to
     * the dead-letter topic and the job is dead-lettered with the reason, spending no attempt.
     *
     * @param onDurable run once, when both records are acknowledged
     */
    public void withhold(DeliveryMessage delivery, String reason, Runnable onDurable) {
        deadLettered.increment();
        queueMetrics.withheld(delivery);
        Instant now = clock.instant();
        Runnable bothDurable = afterBoth(onDurable);
        DeadLetter dead = new DeadLetter(delivery, reason, now);
        sender.send(topics.deadLetters(), delivery.key(), dead.headers(), delivery.payload(), bothDurable);
        events.publish(new DeliveryWithheld(delivery.jobId(), delivery.organizationId(), delivery.endpointId(), reason,
                now), bothDurable);
    }

    /**
     * Parks a delivery without attempting it: its queue is paused. The projector keeps the job in
     * PostgreSQL until the queue is resumed; no attempt is spent.
     *
     * @param onDurable run once, when the event is acknowledged
     */
    public void park(DeliveryMessage delivery, Runnable onDurable) {
        meters.counter("sluice.worker.parked").increment();
        events.publish(new DeliveryParked(delivery.jobId(), delivery.organizationId(), delivery.queue(),
                delivery.attempt(), clock.instant()), onDurable);
    }

    private void deadLetter(DeliveryMessage delivery, AttemptReport report, String reason, boolean disablesEndpoint,
                            Instant now, Runnable onDurable) {
        deadLettered.increment();
        Runnable bothDurable = afterBoth(onDurable);
        DeadLetter dead = new DeadLetter(delivery.withHistory(report.summary()), reason, now);
        sender.send(topics.deadLetters(), delivery.key(), dead.headers(), delivery.payload(), bothDurable);
        events.publish(event(delivery, report, JobState.DEADLETTER, null, reason, disablesEndpoint), bothDurable);
    }

    private static AttemptRecorded event(DeliveryMessage delivery, AttemptReport report, JobState jobState,
                                         Instant nextAttemptAt, String deadLetterReason, boolean disablesEndpoint) {
        return new AttemptRecorded(report.attemptId(), delivery.jobId(), delivery.organizationId(),
                delivery.endpointId(), report.startedAt(), report.durationMs(), report.statusCode(), report.excerpt(),
                report.errorClass(), report.error(), jobState, report.worker(), report.attempt(), nextAttemptAt,
                deadLetterReason, disablesEndpoint, delivery.queue());
    }

    /** Runs {@code action} on the second call: the two records of one outcome are acknowledged separately. */
    private static Runnable afterBoth(Runnable action) {
        AtomicInteger remaining = new AtomicInteger(2);
        return () -> {
            if (remaining.decrementAndGet() == 0) {
                action.run();
            }
        };
    }
}
