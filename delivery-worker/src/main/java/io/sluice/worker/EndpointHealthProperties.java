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
 */
@ConfigurationProperties("sluice.worker.circuit-breaker")
public record EndpointHealthProperties(
        @DefaultValue("50") float failureRateThreshold,
        @DefaultValue("50") int slidingWindow,
        @DefaultValue("20") int minimumCalls,
        @DefaultValue("30s") Duration openWait,
        @DefaultValue("3") int halfOpenCalls) {
}
