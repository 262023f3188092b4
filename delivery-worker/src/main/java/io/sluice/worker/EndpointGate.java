package io.sluice.worker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.sluice.core.delivery.AttemptOutcome;
import io.sluice.core.kafka.DeliveryMessage;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Admits a delivery to its endpoint, or defers it: per endpoint a circuit breaker, a bound on
 * deliveries in flight and, when the endpoint asks for one, a rate limit. A deferred delivery
 * waits in the retry path and keeps its attempt; nothing about it is slow for the endpoints
 * sharing its partition, which is what keeps one bad receiver from holding up the rest.
 *
 * <p>Limits are per worker: with several workers an endpoint's rate limit applies to each.
 */
@Component
public class EndpointGate {

    /** The outcome of asking to deliver now. */
    public sealed interface Admission {
        /** Go ahead; report the attempt to {@link Pass#finished} exactly once. */
        record Admitted(Pass pass) implements Admission {
        }

        /**
         * Not now: try again after {@code delay}.
         *
         * @param slotReserved the rate limiter reserved the start time {@code delay} from now
         */
        record Deferred(Duration delay, String reason, boolean slotReserved) implements Admission {
        }
    }

    /** One admitted delivery's hold on its endpoint. */
    public final class Pass {
        private final Endpoint endpoint;
        private final long startNanos = System.nanoTime();

        private Pass(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        /** Frees the endpoint's slot and tells its breaker how the attempt went. */
        public void finished(AttemptOutcome outcome) {
            endpoint.inFlight.decrementAndGet();
            long nanos = System.nanoTime() - startNanos;
            if (outcome instanceof AttemptOutcome.Failed failed && failed.receiverUnhealthy()) {
                endpoint.breaker.onError(nanos, TimeUnit.NANOSECONDS, new ReceiverUnhealthy(failed.message()));
            } else {
                endpoint.breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Recorded by the breaker as the cause of a failed call; never thrown. */
    private static final class ReceiverUnhealthy extends RuntimeException {
        ReceiverUnhealthy(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Endpoint {
        final CircuitBreaker breaker;
        final AtomicInteger inFlight = new AtomicInteger();
        volatile RateLimiter limiter;

        Endpoint(CircuitBreaker breaker) {
            this.breaker = breaker;
        }
    }

    /** Deliveries the rate limit may book ahead; a backlog beyond it is deferred without a booking. */
    private static final Duration MAX_RESERVATION = Duration.ofHours(1);
    /** Close enough to now to start at once rather than make a round trip through a tier. */
    private static final long START_NOW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final CircuitBreakerRegistry breakers;
    private final EndpointHealthProperties health;
    private final int defaultMaxConcurrency;
    private final Map<UUID, Endpoint> endpoints = new ConcurrentHashMap<>();

    public EndpointGate(EndpointHealthProperties health, WorkerProperties worker) {
        this.health = health;
        this.defaultMaxConcurrency = worker.maxConnectionsPerEndpoint();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(health.slidingWindow())
                .minimumNumberOfCalls(health.minimumCalls())
                .failureRateThreshold(health.failureRateThreshold())
                .waitDurationInOpenState(health.openWait())
                .permittedNumberOfCallsInHalfOpenState(health.halfOpenCalls())
                .build());
    }

    public Admission admit(DeliveryMessage delivery) {
        Endpoint endpoint = endpoints.computeIfAbsent(delivery.endpointId(),
                id -> new Endpoint(breakers.circuitBreaker(id.toString())));
        if (!endpoint.breaker.tryAcquirePermission()) {
            boolean open = endpoint.breaker.getState() == CircuitBreaker.State.OPEN;
            return new Admission.Deferred(open ? health.openWait() : Duration.ZERO,
                    open ? "circuit open" : "circuit half-open, probing", false);
        }
        int max = delivery.limits().maxConcurrency() != null ? delivery.limits().maxConcurrency() : defaultMaxConcurrency;
        if (endpoint.inFlight.incrementAndGet() > max) {
            endpoint.inFlight.decrementAndGet();
            endpoint.breaker.releasePermission();
            return new Admission.Deferred(Duration.ZERO, "endpoint at max concurrency", false);
        }
        Integer rate = delivery.limits().ratePerSecond();
        if (rate != null && !delivery.slotReserved()) {
            long waitNanos = limiter(endpoint, delivery, rate).reservePermission();
            if (waitNanos > START_NOW_NANOS || waitNanos < 0) {
                endpoint.inFlight.decrementAndGet();
                endpoint.breaker.releasePermission();
                // Negative: the hour ahead is fully booked; try again later without a booking.
                return waitNanos < 0
                        ? new Admission.Deferred(MAX_RESERVATION, "rate limited", false)
                        : new Admission.Deferred(Duration.ofNanos(waitNanos), "rate limited", true);
            }
        }
        return new Admission.Admitted(new Pass(endpoint));
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
