package io.sluice.worker;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.sluice.core.kafka.QueueState;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Queues' {@code rate_limit} (jobs started per second), as the {@link QueueDirectory} knows it,
 * enforced on this node: HTTP deliveries book their start time ahead, as an endpoint's rate
 * limit does (a delivery whose time is not now waits in the retry path, its start booked);
 * claims by external workers take only what may start now. Deliveries and claims count
 * separately, so a queue holding both kinds of job gets its rate for each.
 */
@Component
public class QueueRateLimits {

    /** Deliveries the limit may book ahead; a backlog beyond it is deferred without a booking. */
    private static final Duration MAX_RESERVATION = Duration.ofHours(1);

    private final QueueDirectory directory;
    private final Map<String, RateLimiter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> claims = new ConcurrentHashMap<>();

    public QueueRateLimits(QueueDirectory directory) {
        this.directory = directory;
    }

    /** When a delivery of a rate-limited queue may start. */
    public sealed interface Start {
        /** Now: the queue has no limit, or the limit lets it start (within a few milliseconds). */
        record Now() implements Start {
        }

        /** Its start is booked this far ahead. */
        record Booked(Duration in) implements Start {
        }

        /** The next hour is fully booked: try again in an hour, without a booking. */
        record FullyBooked(Duration retryIn) implements Start {
        }
    }

    /** Close enough to now to start at once rather than make a round trip through a tier. */
    private static final long START_NOW_NANOS = Duration.ofMillis(20).toNanos();

    /** Books a start for one delivery of the queue. */
    public Start bookDelivery(UUID organizationId, String queueName) {
        Integer rate = directory.rateLimit(organizationId, queueName);
        if (rate == null) {
            return new Start.Now();
        }
        long waitNanos = limiter(deliveries, organizationId, queueName, rate, MAX_RESERVATION).reservePermission();
        if (waitNanos < 0) {
            return new Start.FullyBooked(MAX_RESERVATION);
        }
        return waitNanos <= START_NOW_NANOS ? new Start.Now() : new Start.Booked(Duration.ofNanos(waitNanos));
    }

    /** @return how many of {@code wanted} claimed jobs of the queue may start now */
    public int takeClaims(UUID organizationId, String queueName, int wanted) {
        Integer rate = directory.rateLimit(organizationId, queueName);
        if (rate == null) {
            return wanted;
        }
        RateLimiter limiter = limiter(claims, organizationId, queueName, rate, Duration.ZERO);
        int granted = 0;
        while (granted < wanted && limiter.acquirePermission()) {
            granted++;
        }
        return granted;
    }

    /** Whether the queue's claims have used up what its limit allows for now. */
    public boolean claimsExhausted(UUID organizationId, String queueName) {
        Integer rate = directory.rateLimit(organizationId, queueName);
        return rate != null
                && limiter(claims, organizationId, queueName, rate, Duration.ZERO).getMetrics().getAvailablePermissions() <= 0;
    }

    private static RateLimiter limiter(Map<String, RateLimiter> limiters, UUID organizationId, String queueName, int rate,
                                       Duration timeout) {
        String key = QueueState.key(organizationId, queueName);
        RateLimiter limiter = limiters.computeIfAbsent(key, k -> RateLimiter.of(k, RateLimiterConfig.custom()
                .limitForPeriod(rate)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(timeout)
                .build()));
        if (limiter.getRateLimiterConfig().getLimitForPeriod() != rate) {
            limiter.changeLimitForPeriod(rate);
        }
        return limiter;
    }
}
