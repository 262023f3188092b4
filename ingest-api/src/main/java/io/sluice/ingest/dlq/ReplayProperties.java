package io.sluice.ingest.dlq;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of dead-letter topic replay ({@code sluice.replay.*}).
 *
 * @param scanTimeout   longest one replay may read the topic before it answers 503; a request
 *                      thread is held meanwhile
 * @param chunkSize     job ids retried per transaction; small enough that one chunk's row
 *                      locks are held briefly, large enough that a big replay takes few commits
 * @param seekMargin    how far before {@code from} the scan starts: partitions are sought by record
 *                      timestamp, which the worker stamps just after the dead-at time it writes,
 *                      but a clock step or another producer's clock could place it earlier
 */
@ConfigurationProperties("sluice.replay")
public record ReplayProperties(
        @DefaultValue("2m") Duration scanTimeout,
        @DefaultValue("500") int chunkSize,
        @DefaultValue("5m") Duration seekMargin) {

    public ReplayProperties {
        if (scanTimeout.isNegative() || scanTimeout.isZero() || chunkSize < 1 || seekMargin.isNegative()) {
            throw new IllegalArgumentException("sluice.replay: scan-timeout > 0, chunk-size >= 1, seek-margin >= 0");
        }
    }
}
