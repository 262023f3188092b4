package io.sluice.ingest.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.sluice.ingest.web.ApiException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Per-key request limits ({@code rate_limit} requests per minute), counted by this node: with
 * several gateway nodes behind a balancer a key gets up to its limit from each.
 */
@Component
public class KeyRateLimits {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    /**
     * The answer for one request.
     *
     * @param allowed      whether it may proceed
     * @param limit        requests per window
     * @param remaining    requests left in this window
     * @param resetSeconds seconds until the window restarts (at least 1)
     */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {

        /** What a refused caller is told. */
        public String refusal() {
            return "This API key may make " + limit + " requests a minute; retry in " + resetSeconds + " s";
        }
    }

    /** @param startNanos when the limiter was made: its windows are counted from then */
    private record Limiter(int limit, AtomicRateLimiter limiter, long startNanos) {
    }

    private final Cache<UUID, Limiter> limiters =
            Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    /**
     * Counts one request of a call made outside the HTTP filter (a gRPC call, or one message of
     * a gRPC stream, as one REST request is): nothing for a key without a limit.
     *
     * @throws ApiException {@code RATE_LIMIT_EXCEEDED} when the key has used up its minute
     */
    public void admit(Caller caller) {
        if (caller.rateLimit() != null) {
            Decision decision = acquire(caller.apiKeyId(), caller.rateLimit());
            if (!decision.allowed()) {
                throw ApiException.rateLimited(decision.refusal());
            }
        }
    }

    public Decision acquire(UUID apiKeyId, int limit) {
        Limiter current = limiters.asMap().compute(apiKeyId, (id, existing) -> existing != null && existing.limit() == limit
                ? existing : new Limiter(limit, newLimiter(id, limit), System.nanoTime()));
        AtomicRateLimiter limiter = current.limiter();
        boolean allowed = limiter.acquirePermission();
        AtomicRateLimiter.AtomicRateLimiterMetrics metrics = limiter.getDetailedMetrics();
        long windowEnd = current.startNanos() + (metrics.getCycle() + 1) * WINDOW.toNanos();
        long nanosToReset = Math.max(windowEnd - System.nanoTime(), 0);
        long resetSeconds = Math.max(1, (nanosToReset + 999_999_999L) / 1_000_000_000L);
        return new Decision(allowed, limit, Math.max(metrics.getAvailablePermissions(), 0), resetSeconds);
    }

    private static AtomicRateLimiter newLimiter(UUID id, int limit) {
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(WINDOW)
                .timeoutDuration(Duration.ZERO)
                .build();
        return (AtomicRateLimiter) RateLimiter.of(id.toString(), config);
    }
}
