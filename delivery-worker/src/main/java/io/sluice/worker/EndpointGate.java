package io.sluice.worker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.sluice.core.delivery.AttemptOutcome;
import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.kafka.DeliveryMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Admits a delivery to its endpoint, queues it, or defers it: per endpoint a circuit breaker,
 * a limit on deliveries in flight that adapts to how the receiver copes ({@link AdaptiveLimit},
 * up to the endpoint's {@code max_concurrency}) and, when the endpoint asks for one, a rate limit. Beyond
 * the bound deliveries wait in an in-memory queue as long as the endpoint would start them
 * sooner than the retry path could (its shortest tier), judged by how long its deliveries
 * take and how long the oldest running one has been going; so a fast receiver's burst flows. A delivery the
 * endpoint cannot take soon (circuit open, queue too slow, rate booked ahead) waits in the
 * retry path and keeps its attempt. So a slow or dead receiver holds only a small share of
 * the worker's deliveries in flight, and nothing about it is slow for endpoints sharing its
 * partitions.
 *
 * <p>Limits are per worker: with several workers an endpoint's limits apply to each.
 */
@Component
public class EndpointGate implements MeterBinder {

    /** The outcome of asking to deliver. */
    public sealed interface Admission {
        /** Started, or queued to start when one of the endpoint's deliveries finishes. */
        record Accepted() implements Admission {
        }

        /**
         * Not now: try again after {@code delay}.
         *
         * @param slotReserved the rate limiter reserved the start time {@code delay} from now
         */
        record Deferred(Duration delay, String reason, boolean slotReserved) implements Admission {
        }
    }

    /** One delivery's hold on its endpoint, from when it starts. */
    public final class Pass {
        private final Endpoint endpoint;
        /** The endpoint's bound on deliveries in flight, as the delivery carried it. */
        private final int bound;
        private long startNanos;

        private Pass(Endpoint endpoint, int bound) {
            this.endpoint = endpoint;
            this.bound = bound;
        }

        /** Called under the endpoint's lock. */
        private void started() {
            startNanos = ticker.getAsLong();
            endpoint.running.add(this);
        }

        /** Frees the endpoint's slot for the next queued delivery and tells its breaker how the attempt went. */
        public void finished(AttemptOutcome outcome) {
            long nanos = ticker.getAsLong() - startNanos;
            if (outcome instanceof AttemptOutcome.Failed failed && failed.receiverUnhealthy()) {
                endpoint.breaker.onError(nanos, TimeUnit.NANOSECONDS, new ReceiverUnhealthy(failed.message()));
            } else {
                endpoint.breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            }
            List<Queued> next = new ArrayList<>(1);
            synchronized (endpoint) {
                endpoint.running.remove(this);
                endpoint.averageNanos = endpoint.averageNanos == 0 ? nanos
                        : (long) (endpoint.averageNanos * (1 - LATENCY_WEIGHT) + nanos * LATENCY_WEIGHT);
                endpoint.limit.onFinished(outcome, bound, startNanos, startNanos + nanos);
                // A grown limit lets more than one queued delivery start.
                int limit = endpoint.limit.current(bound);
                while (endpoint.running.size() < limit && !endpoint.waiting.isEmpty()) {
                    Queued queued = endpoint.waiting.poll();
                    queued.pass().started();
                    next.add(queued);
                }
            }
            next.forEach(queued -> queued.start().accept(queued.pass()));
        }
    }

    /** Recorded by the breaker as the cause of a failed call; never thrown. */
    private static final class ReceiverUnhealthy extends RuntimeException {
        ReceiverUnhealthy(String message) {
            super(message, null, false, false);
        }
    }

    private record Queued(Pass pass, Consumer<Pass> start) {
    }

    /** Per endpoint; {@code running}, {@code waiting}, {@code limit} and {@code averageNanos} are guarded by the instance's lock. */
    private static final class Endpoint {
        final UUID organizationId;
        final CircuitBreaker breaker;
        /** In start order: the first has been running longest. */
        final LinkedHashSet<Pass> running = new LinkedHashSet<>();
        final ArrayDeque<Queued> waiting = new ArrayDeque<>();
        final AdaptiveLimit limit = new AdaptiveLimit();
        long averageNanos;
        volatile RateLimiter limiter;

        Endpoint(UUID organizationId, CircuitBreaker breaker) {
            this.organizationId = organizationId;
            this.breaker = breaker;
        }

        /**
         * How long a delivery queued now would wait: the queue ahead of it, at the pace
         * deliveries finish. A delivery running for over {@link #STALLED_NANOS} says more than
         * the average while nothing finishes (a receiver that stopped answering).
         */
        long expectedWaitNanos(int inFlight, long now) {
            long oldest = running.isEmpty() ? 0 : now - running.getFirst().startNanos;
            long perDelivery = oldest > STALLED_NANOS ? Math.max(averageNanos, oldest) : averageNanos;
            return (waiting.size() + 1) * perDelivery / inFlight;
        }
    }

    /** Deliveries the rate limit may book ahead; a backlog beyond it is deferred without a booking. */
    private static final Duration MAX_RESERVATION = Duration.ofHours(1);
    /** Close enough to now to start at once rather than make a round trip through a tier. */
    private static final long START_NOW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Longer than a healthy receiver's slowest answers on a loaded machine, far below a timeout. */
    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Weight of the newest attempt in an endpoint's average duration: it follows a change within ~20 attempts. */
    private static final double LATENCY_WEIGHT = 0.1;

    private final CircuitBreakerRegistry breakers;
    private final Duration openWait;
    private final int defaultMaxConcurrency;
    /** Longest a delivery waits in memory for its endpoint: beyond, the retry path is as quick. */
    private final long maxQueueWaitNanos;
    private final Map<UUID, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final LongSupplier ticker;

    @Autowired
    public EndpointGate(CircuitBreakerProperties breaker, WorkerProperties worker, RetrySchedule schedule) {
        this(breaker, worker, schedule, System::nanoTime);
    }

    /** @param ticker nanoseconds, as {@link System#nanoTime()}: how long deliveries take */
    EndpointGate(CircuitBreakerProperties breaker, WorkerProperties worker, RetrySchedule schedule, LongSupplier ticker) {
        this.ticker = ticker;
        this.openWait = breaker.openWait();
        this.maxQueueWaitNanos = schedule.tiers().getFirst().toNanos();
        this.defaultMaxConcurrency = worker.maxConnectionsPerEndpoint();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindow())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.openWait())
                .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                .build());
    }

    /**
     * Where the circuit of every endpoint this worker has delivered to stands. Read, not
     * listened to: a breaker with an event consumer makes an event of every call.
     */
    public List<Circuit> circuits() {
        List<Circuit> circuits = new ArrayList<>(endpoints.size());
        endpoints.forEach((id, endpoint) -> circuits.add(new Circuit(endpoint.organizationId, id,
                endpoint.breaker.getState())));
        return circuits;
    }

    /** One endpoint's circuit on this worker. */
    public record Circuit(UUID organizationId, UUID endpointId, CircuitBreaker.State state) {
    }

    /** {@code sluice.worker.circuits.open}: endpoints this worker holds back because their circuit is open. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("sluice.worker.circuits.open", breakers, r -> r.getAllCircuitBreakers().stream()
                        .filter(b -> b.getState() == CircuitBreaker.State.OPEN).count())
                .description("Endpoints whose circuit is open on this worker")
                .register(registry);
    }

    /**
     * @param start starts the delivery with its pass, now (on this thread) or when a slot frees
     *              up (on the thread that finished the previous delivery); not called when deferred
     */
    public Admission admit(DeliveryMessage delivery, Consumer<Pass> start) {
        Endpoint endpoint = endpoints.computeIfAbsent(delivery.endpointId(),
                id -> new Endpoint(delivery.organizationId(), breakers.circuitBreaker(id.toString())));
        if (!endpoint.breaker.tryAcquirePermission()) {
            boolean open = endpoint.breaker.getState() == CircuitBreaker.State.OPEN;
            return new Admission.Deferred(open ? openWait : Duration.ZERO,
                    open ? "circuit open" : "circuit half-open, probing", false);
        }
        Integer rate = delivery.limits().ratePerSecond();
        if (rate != null && !delivery.slotReserved()) {
            long waitNanos = limiter(endpoint, delivery, rate).reservePermission();
            if (waitNanos > START_NOW_NANOS || waitNanos < 0) {
                endpoint.breaker.releasePermission();
                // Negative: the hour ahead is fully booked; try again later without a booking.
                return waitNanos < 0
                        ? new Admission.Deferred(MAX_RESERVATION, "rate limited", false)
                        : new Admission.Deferred(Duration.ofNanos(waitNanos), "rate limited", true);
            }
        }
        int bound = delivery.limits().maxConcurrency() != null ? delivery.limits().maxConcurrency() : defaultMaxConcurrency;
        Pass pass = new Pass(endpoint, bound);
        synchronized (endpoint) {
            int limit = endpoint.limit.current(bound);
            if (endpoint.running.size() >= limit) {
                if (endpoint.expectedWaitNanos(endpoint.limit.expected(bound), ticker.getAsLong()) > maxQueueWaitNanos) {
                    endpoint.breaker.releasePermission();
                    return new Admission.Deferred(Duration.ZERO, "endpoint busy", false);
                }
                endpoint.waiting.add(new Queued(pass, start));
                return new Admission.Accepted();
            }
            pass.started();
        }
        start.accept(pass);
        return new Admission.Accepted();
    }
    private static RateLimiter limiter(Endpoint endpoint, DeliveryMessage delivery, int rate) {
        RateLimiter limiter = endpoint.limiter;
        if (limiter == null) {
            synchronized (endpoint) {
                limiter = endpoint.limiter;
                if (limiter == null) {
                    limiter = RateLimiter.of(delivery.endpointId().toString(), RateLimiterConfig.custom()
                            .limitForPeriod(rate)
                            .limitRefreshPeriod(Duration.ofSeconds(1))
                            .timeoutDuration(MAX_RESERVATION)
                            .build());
                    endpoint.limiter = limiter;
                }
            }
        }
        if (limiter.getRateLimiterConfig().getLimitForPeriod() != rate) {
            // The owner changed the limit; records sent before the change still carry the old one.
            limiter.changeLimitForPeriod(rate);
        }
        return limiter;
    }
}
