package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.work.HeldWork;
import io.sluice.core.work.WorkItem;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkBufferTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private final WorkBuffer buffer = new WorkBuffer();
    private final UUID org = UUID.randomUUID();
    private long offset;

    @Test
    void itemsAreTakenHighestPriorityFirstThenOldestAndOnlyFromTheQueueAsked() {
        HeldWork old = add("q", 0, null, 0);
        HeldWork urgent = add("q", 10, null, 1);
        HeldWork young = add("q", 0, null, 2);
        add("other", 50, null, 0);

        List<HeldWork> taken = buffer.take(org, "q", 10, NOW);

        assertThat(taken).containsExactly(urgent, old, young);
        assertThat(buffer.take(org, "q", 10, NOW)).isEmpty();
        assertThat(buffer.size()).isEqualTo(1);
    }

    @Test
    void aDelayedItemWaitsUntilItIsDue() {
        HeldWork later = add("q", 0, NOW.plusSeconds(5), 0);

        assertThat(buffer.take(org, "q", 10, NOW)).isEmpty();
        assertThat(buffer.take(org, "q", 10, NOW.plusSeconds(5))).containsExactly(later);
    }

    @Test
    void itemsOfAPartitionNoLongerOwnedAreDropped() {
        add("q", 0, null, 0);
        add("q", 0, NOW.plusSeconds(60), 0);
        HeldWork kept = add("q", 0, null, 1);

        assertThat(buffer.drop(List.of(0))).isEqualTo(2);
        assertThat(buffer.take(org, "q", 10, NOW.plusSeconds(120))).containsExactly(kept);
    }

    private HeldWork add(String queue, int priority, Instant notBefore, int partition) {
        // job ids are time-ordered, as UUIDv7 ids are: a later add is a younger job
        UUID id = new UUID(0x0190_0000_0000_7000L + offset, 0x8000_0000_0000_0000L);
        HeldWork held = new HeldWork(new WorkItem(id, org, queue, priority, notBefore), partition, offset++);
        buffer.add(held, NOW);
        return held;
    }
}
