package io.sluice.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reader of event instants reads exactly what {@link Instant#parse} reads. */
class UtcInstantsTest {

    @Test
    void readsWhatInstantWritesAtEveryPrecision() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1_000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            assertThat(UtcInstants.parse(instant.toString())).isEqualTo(instant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-29T12:00:00.1Z", "2024-02-29T23:59:59.99Z", "1970-01-01T00:00:00Z",
            "2026-11-29T12:00:00.12345678Z", "2026-11-29T13:00:00+01:00", "2016-12-31T23:59:60Z",
            "+12026-11-29T12:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T12:00:00.Z"})
    void agreesWithTheStandardReaderOnOtherShapes(String text) {
        assertThat(UtcInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T12:00:00Z", "2026-13-01T12:00:00Z", "2026-11-29T25:00:00Z",
            "2026-11-29 12:00:00Z", "2026-11-2xT12:00:00Z", "yesterday"})
    void refusesWhatIsNoInstant(String text) {
        assertThatThrownBy(() -> UtcInstants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
