package io.sluice.topology.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamPositionTest {

    @Test
    void aPositionReadsBackFromItsIdAndCoversWhatItSaw() {
        StreamPosition position = StreamPosition.none(3).after(0, 41).after(2, 1_000_000);

        StreamPosition read = StreamPosition.decode(position.encode(), 3).orElseThrow();

        assertThat(read).isEqualTo(position);
        assertThat(read.covers(0, 41)).isTrue();
        assertThat(read.covers(0, 42)).isFalse();
        assertThat(read.covers(1, 0)).as("nothing seen on partition 1").isFalse();
        assertThat(read.covers(2, 999_999)).isTrue();
    }

    @Test
    void aPositionInTheMiddleOfARecordCoversTheEventsUpToItOnly() {
        StreamPosition position = StreamPosition.none(2).after(0, 7).after(1, 12, 2);

        StreamPosition read = StreamPosition.decode(position.encode(), 2).orElseThrow();

        assertThat(read.covers(1, 12, 0)).isTrue();
        assertThat(read.covers(1, 12, 2)).isTrue();
        assertThat(read.covers(1, 12, 3)).isFalse();
        assertThat(read.covers(1, 12)).as("the record seen whole").isFalse();
        assertThat(read.covers(1, 11)).isTrue();
        assertThat(read.covers(0, 7, 500)).as("a record seen whole covers all its events").isTrue();
        assertThat(read.offset(1)).isEqualTo(12);
        assertThat(read.after(1, 12).covers(1, 12)).isTrue();
    }

    @Test
    void anOffsetNeverMovesBack() {
        assertThat(StreamPosition.none(1).after(0, 10).after(0, 3).offset(0)).isEqualTo(10);
    }

    @Test
    void textThatIsNoPositionOfThisTopicIsIgnored() {
        assertThat(StreamPosition.decode("1.2", 3)).isEmpty();
        assertThat(StreamPosition.decode("x!.2.3", 3)).isEmpty();
        assertThat(StreamPosition.decode("-5.2.3", 3)).isEmpty();
        assertThat(StreamPosition.decode("", 3)).isEmpty();
        assertThat(StreamPosition.decode(null, 3)).isEmpty();
    }
}
