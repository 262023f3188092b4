package io.sluice.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FirePlanTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final CronExpression HOURLY = CronExpression.parse("0 * * * *");
    private static final Duration GRACE = Duration.ofMinutes(1);

    @Test
    void anOccurrenceFiresWhenTheSchedulerComesAMomentLate() {
        FirePlan plan = plan(MisfirePolicy.NONE, "10:00", "10:00:00.400", 100);

        assertThat(plan.fires()).containsExactly(at("10:00"));
        assertThat(plan.missed()).isZero();
        assertThat(plan.nextRunAt()).contains(at("11:00"));
    }

    @Test
    void afterDowntimeSkipFiresOnceForEverythingMissed() {
        FirePlan plan = plan(MisfirePolicy.SKIP, "07:00", "10:30", 100);

        assertThat(plan.fires()).containsExactly(at("10:00"));
        assertThat(plan.missed()).isEqualTo(3);
        assertThat(plan.nextRunAt()).contains(at("11:00"));
    }

    @Test
    void afterDowntimeCatchUpFiresEveryMissedOccurrenceUpToTheLimit() {
        assertThat(plan(MisfirePolicy.CATCH_UP, "07:00", "10:30", 100).fires())
                .containsExactly(at("07:00"), at("08:00"), at("09:00"), at("10:00"));

        FirePlan limited = plan(MisfirePolicy.CATCH_UP, "07:00", "10:30", 2);
        assertThat(limited.fires()).containsExactly(at("07:00"), at("08:00"));
        assertThat(limited.missed()).isEqualTo(2);
        assertThat(limited.nextRunAt()).contains(at("11:00"));
    }

    @Test
    void afterDowntimeNoneFiresNothingAndWaitsForTheNextOccurrence() {
        FirePlan plan = plan(MisfirePolicy.NONE, "07:00", "10:30", 100);

        assertThat(plan.fires()).isEmpty();
        assertThat(plan.missed()).isEqualTo(4);
        assertThat(plan.nextRunAt()).contains(at("11:00"));
    }

    @Test
    void anOnTimeOccurrenceMakesSkipDropTheMissedOnes() {
        FirePlan plan = plan(MisfirePolicy.SKIP, "07:00", "10:00:30", 100);

        assertThat(plan.fires()).containsExactly(at("10:00"));
        assertThat(plan.missed()).isEqualTo(3);
    }

    @Test
    void aFineGrainedExpressionAfterALongOutageIsNotWalkedOccurrenceByOccurrence() {
        CronExpression everySecond = CronExpression.parse("* * * * * *");
        Instant due = Instant.parse("2026-01-01T00:00:00Z");
        Instant now = Instant.parse("2026-11-29T10:00:00.500Z");

        FirePlan plan = FirePlan.of(everySecond, UTC, due, now, MisfirePolicy.SKIP, GRACE, 100);

        assertThat(plan.fires()).hasSize(1);
        assertThat(plan.missed()).isGreaterThan(100);
        assertThat(plan.nextRunAt()).contains(Instant.parse("2026-11-29T10:00:01Z"));
    }

    private static FirePlan plan(MisfirePolicy policy, String due, String now, int catchUpLimit) {
        return FirePlan.of(HOURLY, UTC, at(due), at(now), policy, GRACE, catchUpLimit);
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-29T" + (time.length() == 5 ? time + ":00" : time) + "Z");
    }
}
