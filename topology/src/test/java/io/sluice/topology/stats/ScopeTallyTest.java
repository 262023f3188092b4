package io.sluice.topology.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.sluice.core.job.JobState;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StatsScope;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A scope's tally stays small over a long backlog, and survives its binary form whole. */
class ScopeTallyTest {

    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final StatsScope SCOPE = StatsScope.queue(UUID.randomUUID(), "emails");

    @Test
    void aBacklogOfTwoDaysIsKeptCoarselyAndStillLeavesExactly() {
        ScopeTally tally = new ScopeTally();
        long days = 2 * ScopeTally.DAY;
        // One job enqueued every 10 s for two days, nothing leaving.
        for (long s = 0; s < days; s += 10) {
            tally.add(delta(new StateMove(null, JobState.PENDING, T0.plusSeconds(s), null, null)), T0.getEpochSecond() + s);
        }
        long now = T0.getEpochSecond() + days;
        tally.forgetBefore(now);
        assertThat(tally.counts.pending()).isEqualTo(days / 10);
        assertThat(tally.pendingSince.size()).as("by the second for an hour, the minute for a day, then the hour")
                .isLessThan(2_000);
        assertThat(line(tally, now).flow().oldestPendingMs()).isEqualTo(days * 1000);

        // The oldest jobs leave, first-in first-out: the oldest age moves on with them.
        for (long s = 0; s < 3 * ScopeTally.HOUR; s += 10) {
            tally.add(delta(new StateMove(JobState.PENDING, JobState.COMPLETED, T0.plusSeconds(days),
                    T0.plusSeconds(s), null)), now);
        }
        assertThat(line(tally, now).flow().oldestPendingMs()).isEqualTo((days - 3 * ScopeTally.HOUR) * 1000);
        assertThat(tally.pendingSince.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(tally.counts.pending());
    }

    @Test
    void theBinaryFormKeepsEverything() {
        ScopeTally tally = new ScopeTally();
        long now = T0.getEpochSecond() + 30;
        tally.add(delta(new StateMove(null, JobState.PENDING, T0.plusSeconds(1), null, null)), now);
        tally.add(delta(new StateMove(JobState.PENDING, JobState.COMPLETED, T0.plusSeconds(2), T0.plusSeconds(1), null),
                new StateMove(null, JobState.PENDING, T0.plusSeconds(3), null, null),
                new StateMove(null, JobState.DEADLETTER, T0.plusSeconds(4), null, null)), now);

        byte[] bytes = StatsBinary.tallies().serializer().serialize("t", tally);
        ScopeTally read = StatsBinary.tallies().deserializer().deserialize("t", bytes);

        assertThat(line(read, now)).isEqualTo(line(tally, now));
        assertThat(read.pendingSince).isEqualTo(tally.pendingSince);
        assertThat(read.counts.pending()).isEqualTo(1);
    }

    @Test
    void aScopesSummedMovesSurviveTheirBinaryForm() {
        ScopeDelta sums = delta(new StateMove(JobState.PENDING, JobState.COMPLETED, T0.plusSeconds(2), T0.plusSeconds(1), null),
                new StateMove(JobState.PROCESSING, JobState.COMPLETED, T0.plusSeconds(2), T0.plusSeconds(1), null),
                new StateMove(null, JobState.PENDING, T0.plusSeconds(3), null, null),
                new StateMove(JobState.PENDING, JobState.DEADLETTER, T0.plusSeconds(4), T0.plusSeconds(3), null));

        byte[] bytes = StatsBinary.deltas().serializer().serialize("t", sums);
        ScopeDelta read = StatsBinary.deltas().deserializer().deserialize("t", bytes);

        assertThat(read.change).isEqualTo(sums.change);
        assertThat(read.asOf).isEqualTo(T0.plusSeconds(4));
        assertThat(read.pendingSince).isEqualTo(sums.pendingSince).isNotEmpty();
        assertThat(read.flows).containsOnlyKeys(T0.getEpochSecond() + 2, T0.getEpochSecond() + 4);
        assertThat(read.flows.get(T0.getEpochSecond() + 2).delivered).isEqualTo(2);
        assertThat(read.flows.get(T0.getEpochSecond() + 2).latency.buckets())
                .isEqualTo(sums.flows.get(T0.getEpochSecond() + 2).latency.buckets()).isNotEmpty();
        assertThat(StatsBinary.deltas().serializer().serialize("t", read)).as("nothing lost or added").isEqualTo(bytes);
    }

    @Test
    void aLeavingAddedBeforeItsArrivalWaitsForItAndTheOldestJobStaysTheOldest() {
        ScopeTally tally = new ScopeTally();
        long now = T0.getEpochSecond() + 60;
        // jobs pending since T0 + 10 s and T0 + 40 s, and one since T0 + 20 s whose leaving comes first
        tally.add(delta(new StateMove(null, JobState.PENDING, T0.plusSeconds(10), null, null),
                new StateMove(null, JobState.PENDING, T0.plusSeconds(40), null, null)), now);
        tally.add(delta(new StateMove(JobState.PENDING, JobState.COMPLETED, T0.plusSeconds(45), T0.plusSeconds(20),
                null)), now);
        assertThat(line(tally, now).flow().oldestPendingMs()).isEqualTo(50_000);

        tally.add(delta(new StateMove(null, JobState.PENDING, T0.plusSeconds(20), null, null)), now);

        assertThat(tally.counts.pending()).isEqualTo(2);
        assertThat(line(tally, now).flow().oldestPendingMs()).isEqualTo(50_000);
        assertThat(tally.pendingSince).containsExactly(entry(T0.getEpochSecond() + 10, 1L),
                entry(T0.getEpochSecond() + 40, 1L));
    }

    @Test
    void aJobWaitingSinceASecondFoldedIntoItsHourLeavesFromThatHour() {
        ScopeTally tally = new ScopeTally();
        long arrived = T0.getEpochSecond() + 125;
        tally.add(delta(new StateMove(null, JobState.PENDING, Instant.ofEpochSecond(arrived), null, null),
                new StateMove(null, JobState.PENDING, Instant.ofEpochSecond(arrived + 1), null, null)), arrived + 1);
        long twoDaysOn = arrived + 2 * ScopeTally.DAY;
        tally.forgetBefore(twoDaysOn);
        assertThat(tally.pendingSince).containsOnlyKeys(T0.getEpochSecond());

        tally.add(delta(new StateMove(JobState.PENDING, JobState.COMPLETED, Instant.ofEpochSecond(twoDaysOn),
                Instant.ofEpochSecond(arrived), null)), twoDaysOn);

        assertThat(tally.pendingSince).containsExactly(entry(T0.getEpochSecond(), 1L));
    }

    @Test
    void whenNoJobIsPendingNoSecondIsKeptForOne() {
        ScopeTally tally = new ScopeTally();
        long now = T0.getEpochSecond() + 60;
        // an arrival recorded before V31 (at its change's time) and its leaving, told another second
        tally.add(delta(new StateMove(null, JobState.PENDING, T0.plusSeconds(10), null, null)), now);
        tally.add(delta(new StateMove(JobState.PENDING, JobState.COMPLETED, T0.plusSeconds(30), T0.plusSeconds(11),
                null)), now);

        assertThat(tally.pendingSince).isEmpty();
    }

    private static ScopeDelta delta(StateMove... moves) {
        ScopeDelta delta = new ScopeDelta();
        for (StateMove move : moves) {
            delta.add(move, move.at().minusMillis(250));
        }
        return delta;
    }

    private static ScopeStats line(ScopeTally tally, long nowSecond) {
        return tally.line(SCOPE, nowSecond * 1000);
    }
}
