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
