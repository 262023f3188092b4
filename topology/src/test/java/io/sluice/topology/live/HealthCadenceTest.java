package io.sluice.topology.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a stream says the node's health: on news at once, otherwise once an interval. */
class HealthCadenceTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Instant AT = Instant.parse("2026-11-30T03:00:00Z");
    private static final NodeHealth HEALTHY = new NodeHealth(true, true, AT);
    private static final NodeHealth KAFKA_DOWN = new NodeHealth(true, false, AT);

    private final HealthCadence cadence = new HealthCadence(Duration.ofSeconds(30), 0);

    @Test
    void aStreamOpenedOnAHealthyNodeFirstSaysSoAfterAnInterval() {
        assertThat(cadence.due(HEALTHY, 5 * SECOND)).isFalse();
        assertThat(cadence.due(HEALTHY, 29 * SECOND)).isFalse();
        assertThat(cadence.due(HEALTHY, 30 * SECOND)).isTrue();
        assertThat(cadence.due(HEALTHY, 35 * SECOND)).as("the interval runs from the last time said").isFalse();
        assertThat(cadence.due(HEALTHY, 60 * SECOND)).isTrue();
    }

    @Test
    void aChangeIsSaidAtOnceAndOnlyOnce() {
        assertThat(cadence.due(KAFKA_DOWN, SECOND)).isTrue();
        assertThat(cadence.due(KAFKA_DOWN, 2 * SECOND)).isFalse();
        assertThat(cadence.due(new NodeHealth(false, false, AT), 3 * SECOND)).as("the database went too").isTrue();
        assertThat(cadence.due(HEALTHY, 4 * SECOND)).as("back").isTrue();
        assertThat(cadence.due(HEALTHY, 5 * SECOND)).isFalse();
    }
}
