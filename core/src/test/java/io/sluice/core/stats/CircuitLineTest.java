package io.sluice.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CircuitLineTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void anOpenCircuitCountsWhileItsNodeRefreshesItAndAClosedOneAlways() {
        CircuitLine open = new CircuitLine(UUID.randomUUID(), UUID.randomUUID(), "node-a", CircuitLine.OPEN, T0);
        CircuitLine closed = new CircuitLine(open.organizationId(), open.endpointId(), "node-b", CircuitLine.CLOSED, T0);

        assertThat(open.current(T0.plus(CircuitLine.STALE_AFTER))).isTrue();
        assertThat(open.current(T0.plus(CircuitLine.STALE_AFTER).plusSeconds(1))).as("its node went away").isFalse();
        assertThat(closed.current(T0.plusSeconds(86_400))).isTrue();
        assertThat(StatsCodec.decodeCircuit(StatsCodec.encode(open))).isEqualTo(open);
        assertThat(open.key()).isNotEqualTo(closed.key());
    }
}
