package io.sluice.worker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-endpoint circuit breakers of the delivery worker ({@code sluice.worker.circuit-breaker.*}).
 * A breaker opens when at least {@code failureRateThreshold} percent of the last
 * {@code slidingWindow} attempts (and at least {@code minimumCalls}) found the receiver
 * unhealthy; while open, deliveries wait in the retry path without spending attempts; after
 * {@code openWait} a few probe attempts decide whether it closes again.
 *
 * <p>Why 80 % of 100: the breaker is there to stop spending attempts on a receiver that is
 * down, not to slow one that is merely flaky. At 50 % of 50, a receiver failing a steady 30 %
 * of requests saw some window of 50 cross the line within a few thousand deliveries, and
 * every job to it then waited out the open circuit (the flaky benchmark took 155 s instead of
 * about 30 s).
 */
@ConfigurationProperties("sluice.worker.circuit-breaker")
public record CircuitBreakerProperties(
        @DefaultValue("80") float failureRateThreshold,
        @DefaultValue("100") int slidingWindow,
        @DefaultValue("50") int minimumCalls,
        @DefaultValue("30s") Duration openWait,
        @DefaultValue("3") int halfOpenCalls) {
}
