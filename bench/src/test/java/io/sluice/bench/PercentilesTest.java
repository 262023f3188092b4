package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOverOneToHundred() {
        long[] values = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray(); // unsorted
        Percentiles p = Percentiles.of(values);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.percentile(50)).isEqualTo(50);
        assertThat(p.percentile(99)).isEqualTo(99);
        assertThat(p.percentile(99.9)).isEqualTo(100);
        assertThat(p.percentile(0)).isEqualTo(1);
        assertThat(p.max()).isEqualTo(100);
        assertThat(values[0]).as("input left untouched").isEqualTo(100);
    }

    @Test
    void alwaysReturnsAnObservedSample() {
        Percentiles p = Percentiles.of(new long[] {30, 10, 20});
        assertThat(p.percentile(50)).isEqualTo(20);
        assertThat(p.percentile(99)).isEqualTo(30);
        assertThat(Percentiles.of(new long[] {10, 20}).percentile(50)).isEqualTo(10);
        assertThat(Percentiles.of(new long[] {7}).percentile(99)).isEqualTo(7);
    }

    @Test
    void p99OfThousandSamplesIsTheTenthLargest() {
        long[] values = LongStream.range(0, 1000).toArray();
        assertThat(Percentiles.of(values).percentile(99)).isEqualTo(989);
    }

    @Test
    void rejectsEmptyInputAndBadPercentiles() {
        assertThatThrownBy(() -> Percentiles.of(new long[0]).percentile(50))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}).percentile(101))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
