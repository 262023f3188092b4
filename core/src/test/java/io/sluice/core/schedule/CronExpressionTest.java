package io.sluice.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void weekdaysAtNineFollowTheLocalClockAcrossTheSpringChange() {
        // Berlin moves from +01:00 to +02:00 on Sunday 2026-03-29
        List<ZonedDateTime> fires = fires("0 9 * * MON-FRI", BERLIN, "2026-03-26T12:00:00Z", 3);
        assertThat(fires).extracting(Object::toString).containsExactly(
                "2026-03-27T09:00+01:00[Europe/Berlin]",
                "2026-03-30T09:00+02:00[Europe/Berlin]",
                "2026-03-31T09:00+02:00[Europe/Berlin]");
    }

    @Test
    void aLocalTimeTheClocksJumpOverDoesNotFire() {
        // 02:30 does not exist in Berlin on 2026-03-29, nor in New York on 2026-03-08
        assertThat(fires("30 2 * * *", BERLIN, "2026-03-27T12:00:00Z", 3)).extracting(z -> z.toLocalDate().toString())
                .containsExactly("2026-03-28", "2026-03-30", "2026-03-31");
        assertThat(fires("30 2 * * *", NEW_YORK, "2026-03-06T12:00:00Z", 3)).extracting(z -> z.toLocalDate().toString())
                .containsExactly("2026-03-07", "2026-03-09", "2026-03-10");
    }

    @Test
    void aLocalTimeTheClocksPassTwiceFiresOnce() {
        // Berlin passes 02:00-03:00 twice on 2026-10-25; New York 01:00-02:00 on 2026-11-01
        assertThat(fires("*/30 * * * *", BERLIN, "2026-10-24T23:10:00Z", 5)).extracting(Object::toString).containsExactly(
                "2026-10-25T01:30+02:00[Europe/Berlin]",
                "2026-10-25T02:00+02:00[Europe/Berlin]",
                "2026-10-25T02:30+02:00[Europe/Berlin]",
                "2026-10-25T03:00+01:00[Europe/Berlin]",
                "2026-10-25T03:30+01:00[Europe/Berlin]");
        assertThat(fires("30 1 * * *", NEW_YORK, "2026-10-31T12:00:00Z", 3)).extracting(Object::toString).containsExactly(
                "2026-11-01T01:30-04:00[America/New_York]",
                "2026-11-02T01:30-05:00[America/New_York]",
                "2026-11-03T01:30-05:00[America/New_York]");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0 0 L * *       | 2026-11-30T00:00, 2026-12-31T00:00",
            "0 0 LW * *      | 2026-11-30T00:00, 2026-12-31T00:00",
            "0 0 15W * *     | 2026-12-15T00:00, 2027-01-15T00:00",
            "0 0 * * 5L      | 2026-12-25T00:00, 2027-01-29T00:00",
            "0 0 * * MON#2   | 2026-12-14T00:00, 2027-01-11T00:00",
            "0 9 * JAN,FEB 0 | 2027-01-03T09:00, 2027-01-10T09:00",
            "0 9 * * 7       | 2026-12-06T09:00, 2026-12-13T09:00",
            "0 0 1-10/3 * *  | 2026-12-01T00:00, 2026-12-04T00:00",
            "0 0 1 * 1       | 2027-02-01T00:00, 2027-03-01T00:00",
            "@monthly        | 2026-12-01T00:00, 2027-01-01T00:00",
            "15 30 9 * * *   | 2026-11-30T09:30:15, 2026-12-01T09:30:15"})
    void theCrontabVocabularyIsUnderstood(String expression, String expected) {
        assertThat(fires(expression.strip(), ZoneId.of("UTC"), "2026-11-29T12:00:00Z", 2))
                .extracting(z -> z.toLocalDateTime().toString())
                .containsExactly(expected.split(",\\s*"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "* * * * * * *", "61 * * * *", "0 0 32 * *", "0 0 * 13 *", "hello",
            "0 0 30 2 *"})
    void aMalformedOrImpossibleExpressionIsRefused(String expression) {
        assertThatThrownBy(() -> CronExpression.parse(expression)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneExpressionAskedInTurnForManyZonesAndTimesAnswersEachAsIfAskedAlone() {
        // one instance, as thousands of schedules share it: each answer is its own zone's and time's
        CronExpression shared = CronExpression.parse("0 9 * * *");
        Instant tuesdayNoon = Instant.parse("2026-11-24T12:00:00Z");
        for (int round = 0; round < 3; round++) {
            for (int hour = 0; hour < 100; hour++) {
                Instant after = tuesdayNoon.plusSeconds(3600L * hour);
                for (ZoneId zone : List.of(BERLIN, NEW_YORK)) {
                    assertThat(shared.nextAfter(after, zone))
                            .isEqualTo(CronExpression.parse("0 9 * * *").nextAfter(after, zone));
                }
            }
        }
        assertThat(shared.nextAfter(tuesdayNoon, BERLIN)).contains(Instant.parse("2026-11-25T08:00:00Z"));
        assertThat(shared.nextAfter(tuesdayNoon, NEW_YORK)).contains(Instant.parse("2026-11-24T14:00:00Z"));
    }

    @Test
    void theNextOccurrenceIsAWholeSecondStrictlyAfterTheGivenInstant() {
        assertThat(CronExpression.parse("0 * * * *").nextAfter(Instant.parse("2026-11-29T10:00:00.500Z"), ZoneId.of("UTC")))
                .contains(Instant.parse("2026-11-29T11:00:00Z"));
        assertThat(CronExpression.parse("* * * * * *").nextAfter(Instant.parse("2026-11-29T10:00:00.500Z"), ZoneId.of("UTC")))
                .contains(Instant.parse("2026-11-29T10:00:01Z"));
    }

    @Test
    void theTextIsKeptExactlyAsGiven() {
        assertThat(CronExpression.parse("0  */5 * * * *").text()).isEqualTo("0  */5 * * * *");
    }

    private static List<ZonedDateTime> fires(String expression, ZoneId zone, String from, int count) {
        CronExpression cron = CronExpression.parse(expression);
        List<ZonedDateTime> fires = new ArrayList<>();
        Instant at = Instant.parse(from);
        for (int i = 0; i < count; i++) {
            at = cron.nextAfter(at, zone).orElseThrow();
            fires.add(at.atZone(zone));
        }
        return fires;
    }
}
