package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final TopicPartition p0 = new TopicPartition("sluice.deliveries", 0);
    private final TopicPartition p1 = new TopicPartition("sluice.deliveries", 1);
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingIsCommittedPastARecordStillInFlight() {
        // given
        tracker.started(p0, 10);
        tracker.started(p0, 11);
        tracker.started(p0, 12);

        // when: the later records finish first
        tracker.finished(p0, 12);
        tracker.finished(p0, 11);

        // then
        assertThat(tracker.committable()).containsEntry(p0, new OffsetAndMetadata(10));
    }

    @Test
    void whenEverythingFinishedTheCommitIsOnePastTheLastRecord() {
        tracker.started(p0, 10);
        tracker.started(p0, 11);
        tracker.finished(p0, 10);
        tracker.finished(p0, 11);

        assertThat(tracker.committable()).containsEntry(p0, new OffsetAndMetadata(12));
        assertThat(tracker.inFlight()).isZero();
    }

    @Test
    void offersEachAdvanceOnlyOnce() {
        tracker.started(p0, 5);
        tracker.finished(p0, 5);
        assertThat(tracker.committable()).containsKey(p0);

        assertThat(tracker.committable()).isEmpty();
    }

    @Test
    void partitionsAdvanceIndependently() {
        tracker.started(p0, 1);
        tracker.started(p1, 7);
        tracker.finished(p1, 7);

        assertThat(tracker.committable())
                .containsEntry(p0, new OffsetAndMetadata(1))
                .containsEntry(p1, new OffsetAndMetadata(8));
    }

    @Test
    void completionsOfARevokedPartitionAreIgnored() {
        tracker.started(p0, 3);
        tracker.forget(List.of(p0));

        tracker.finished(p0, 3);

        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.inFlight()).isZero();
    }
}
