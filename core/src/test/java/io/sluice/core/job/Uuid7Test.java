package io.sluice.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class Uuid7Test {

    private static final Instant AT = Instant.parse("2026-11-28T10:15:30.123Z");

    @Test
    void carriesVersionSevenTheVariantAndTheMillisecondsOfItsClock() {
        UUID id = new Uuid7(Clock.fixed(AT, ZoneOffset.UTC), new Random(1)).next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(Uuid7.timestampOf(id)).isEqualTo(AT);
    }

    @Test
    void idsOfALaterMillisecondSortAfterEarlierOnes() {
        UUID earlier = new Uuid7(Clock.fixed(AT, ZoneOffset.UTC), new Random(1)).next();
        UUID later = new Uuid7(Clock.fixed(AT.plusMillis(1), ZoneOffset.UTC), new Random(2)).next();

        // PostgreSQL compares uuids as unsigned bytes: compare the text form, which sorts the same way.
        assertThat(later.toString()).isGreaterThan(earlier.toString());
    }

    @Test
    void theLowerBoundOfAnInstantSortsBeforeEveryIdOfThatMillisecond() {
        UUID bound = Uuid7.lowerBound(AT);
        for (int seed = 0; seed < 100; seed++) {
            UUID id = new Uuid7(Clock.fixed(AT, ZoneOffset.UTC), new Random(seed)).next();
            assertThat(id.toString()).isGreaterThanOrEqualTo(bound.toString());
        }
        assertThat(Uuid7.lowerBound(AT.plusMillis(1)).toString())
                .isGreaterThan(new Uuid7(Clock.fixed(AT, ZoneOffset.UTC), new Random(7)).next().toString());
    }
}
