package io.sluice.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.store.DueRange;
import io.sluice.store.JobStore;
import io.sluice.store.ReleasedJobs;
import io.sluice.store.ScheduledKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the releaser works through a backlog of due jobs (the releases themselves: JobStoreInsertTest, ScheduledJobsIT). */
class ScheduledJobReleaserTest {

    /** A run ends at 08:59:59.500 (the jobs' second is half a second away). */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T08:59:59.500Z"), ZoneOffset.UTC);

    /** Due jobs handed out batch by batch; the first two ranges of a backlog must be under way at once. */
    private static final class DueJobs extends JobStore {

        /** All were due at the same second, and every batch is released 300 ms after it. */
        static final Instant DUE = Instant.parse("2026-11-30T09:00:00Z");
        static final Instant RELEASED_AT = DUE.plusMillis(300);

        private final Backlog due;
        private final AtomicInteger splits = new AtomicInteger();
        /** The earliest job still scheduled, if any. */
        Instant next;

        DueJobs(int due) {
            super(null, null, null, null);
            this.due = new Backlog(due, 1);
        }

        /** Ranges of this many at most, as the store splits them; the last holds the rest. */
        @Override
        public List<DueRange> splitDue(int rangeSize, int maxRanges) {
            List<DueRange> ranges = new ArrayList<>();
            int bounded = Math.min(due.left() / rangeSize, maxRanges - 1);
            ScheduledKey after = null;
            for (int i = 1; i <= bounded; i++) {
                ScheduledKey upTo = new ScheduledKey(DUE, new UUID(0, i));
                ranges.add(new DueRange(after, upTo));
                after = upTo;
            }
            ranges.add(new DueRange(after, null));
            splits.incrementAndGet();
            return ranges;
        }

        @Override
        public ReleasedJobs releaseDue(DueRange range, int limit) {
            int taken = due.take(limit, !range.equals(DueRange.ALL));
            return new ReleasedJobs(RELEASED_AT, Collections.nCopies(taken, DUE));
        }

        @Override
        public Optional<Instant> nextScheduledAt() {
            return Optional.ofNullable(next);
        }
    }

    @Test
    void aBacklogIsReleasedInRangesTwoTransactionsAtOnceUntilNoneIsLeft() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DueJobs store = new DueJobs(23);
        ScheduledJobReleaser releaser = new ScheduledJobReleaser(store,
                new ScheduledJobsProperties(true, Duration.ofMillis(500), 5, 2), CLOCK, meters);

        int released = releaser.runOnce();

        assertThat(released).isEqualTo(23);
        assertThat(meters.counter("sluice.scheduled.jobs.released").count()).isEqualTo(23);
        // 5, 5, 5, 5 and 3 in five ranges, then a look that finds fewer than a batch left
        assertThat(store.splits).hasValue(2);
    }

    @Test
    void eachReleasedJobCountsHowLongAfterItsTimeItWasReleased() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScheduledJobReleaser releaser = new ScheduledJobReleaser(new DueJobs(12),
                new ScheduledJobsProperties(true, Duration.ofMillis(500), 5, 2), CLOCK, meters);

        releaser.runOnce();

        Timer lateness = meters.get("sluice.scheduled.jobs.lateness").timer();
        assertThat(lateness.count()).isEqualTo(12);
        assertThat(lateness.max(TimeUnit.MILLISECONDS)).isEqualTo(300);
        assertThat(lateness.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12 * 300);
    }

    @Test
    void aShortFirstBatchIsTheWholeRun() {
        DueJobs store = new DueJobs(3);
        ScheduledJobReleaser releaser = new ScheduledJobReleaser(store,
                new ScheduledJobsProperties(true, Duration.ofMillis(500), 5, 2), CLOCK, new SimpleMeterRegistry());

        assertThat(releaser.runOnce()).isEqualTo(3);
        assertThat(store.due.takes()).isEqualTo(1);
    }

    @Test
    void theNextRunStartsWhenTheNextJobIsDueIfThatIsSoonerThanTheInterval() {
        DueJobs store = new DueJobs(0);
        ScheduledJobReleaser releaser = new ScheduledJobReleaser(store,
                new ScheduledJobsProperties(true, Duration.ofMillis(500), 5, 2), CLOCK, new SimpleMeterRegistry());

        store.next = Instant.parse("2026-11-30T08:59:59.620Z");
        assertThat(releaser.nextWait()).isEqualTo(Duration.ofMillis(120));

        store.next = Instant.parse("2026-11-30T09:00:00Z");
        assertThat(releaser.nextWait()).isEqualTo(Duration.ofMillis(500));

        store.next = Instant.parse("2026-12-01T09:00:00Z");
        assertThat(releaser.nextWait()).as("a day away: the interval's run looks again").isEqualTo(Duration.ofMillis(500));

        store.next = null;
        assertThat(releaser.nextWait()).as("nothing scheduled").isEqualTo(Duration.ofMillis(500));

        store.next = Instant.parse("2026-11-30T08:59:58Z");
        assertThat(releaser.nextWait()).as("due but held by another node's release: no spin")
                .isEqualTo(PeriodicTask.MIN_WAIT);
    }
}
