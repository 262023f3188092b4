package io.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.sluice.core.delivery.RetryPolicy;
import io.sluice.core.delivery.RetrySchedule;

/**
 * The flaky receiver's memory: every attempt of every job, keyed by {@code webhook-id} (the job
 * id, the same on every attempt), with the answer {@link FlakyAnswers} chose for it.
 *
 * <p>Why per job and not just counters: duplicates (a job answered 2xx more than once) and the
 * gaps between a job's attempts, which show whether Sluice waited its schedule, are properties of
 * a job's sequence of attempts. A job sees one attempt at a time, so the per-job lock is never
 * contended; at 30 % failures, about 1.4 attempts per job over 10,000 jobs take a few hundred KiB.
 */
final class AttemptLog {

    /**
     * Receiver-side gaps before retries of one delay: how long after the refused attempt the next
     * one arrived, less the scheduled delay.
     *
     * <p>Approximate by nature: Sluice draws every delay ±10 % (jitter), so a gap measures
     * jitter plus lateness plus the receiver's view of the delivery time. {@code early} and
     * {@code surelyLateOverOneSecond} are exact all the same: a gap below 90 % of the delay can
     * only come from an attempt sent before it was due, and one above 110 % of the delay plus 1 s
     * from one sent more than 1 s after it was due.
     *
     * @param delay                   the scheduled delay (one of the tiers)
     * @param gaps                    retries after a refused attempt that waited this delay
     * @param p50Millis               median of gap − delay
     * @param p99Millis               99th percentile of gap − delay
     * @param maxMillis               largest gap − delay
     * @param early                   gaps shorter than the least jittered delay
     * @param surelyLateOverOneSecond gaps longer than the longest jittered delay plus 1 s
     */
    record TierGaps(Duration delay, int gaps, double p50Millis, double p99Millis, double maxMillis, int early,
                    int surelyLateOverOneSecond) {
    }

    /**
     * What the receiver saw.
     *
     * @param jobs                distinct {@code webhook-id}s
     * @param attempts            every attempt
     * @param refused             attempts answered 503
     * @param delivered           jobs answered 2xx at least once
     * @param duplicateSuccesses  2xx answers beyond the first per job
     * @param afterSuccess        attempts of a job after its first 2xx (any redelivery)
     * @param gaps                per scheduled delay, ascending
     */
    record Summary(int jobs, long attempts, long refused, int delivered, long duplicateSuccesses, long afterSuccess,
                   List<TierGaps> gaps) {
    }

    private static final long JITTER_PERCENT = 10;
    private static final long ONE_SECOND_NANOS = 1_000_000_000L;

    private final FlakyAnswers answers;
    private final Map<String, JobAttempts> jobs = new ConcurrentHashMap<>();

    AttemptLog(FlakyAnswers answers) {
        this.answers = answers;
    }

    /** Records one attempt of job {@code seq} arriving at {@code nowNanos}; returns the status to answer. */
    int record(String webhookId, long seq, long nowNanos) {
        return jobs.computeIfAbsent(webhookId, id -> new JobAttempts(seq)).attempt(nowNanos, answers);
    }

    /** Everything recorded so far, the gaps judged against {@code schedule}. */
    Summary summarize(RetrySchedule schedule) {
        long attempts = 0;
        long refused = 0;
        int delivered = 0;
        long duplicateSuccesses = 0;
        long afterSuccess = 0;
        Map<Duration, List<Long>> excessByDelay = new TreeMap<>();
        Map<Duration, int[]> earlyAndLate = new TreeMap<>();
        for (JobAttempts job : jobs.values()) {
            long[] arrivals = job.arrivals();
            attempts += arrivals.length;
            int firstSuccess = -1;
            int successes = 0;
            for (int i = 0; i < arrivals.length; i++) {
                int attempt = i + 1;
                if (answers.fails(job.seq, attempt)) {
                    refused++;
                } else {
                    successes++;
                    if (firstSuccess < 0) {
                        firstSuccess = i;
                    }
                }
                // A retry that followed a refused attempt waited a scheduled delay; one that
                // followed a 2xx is a redelivery and waited nothing in particular.
                Optional<Duration> delay = i == 0 || !answers.fails(job.seq, i)
                        ? Optional.empty() : schedule.delayAfter(i);
                if (delay.isPresent()) {
                    long gap = arrivals[i] - arrivals[i - 1];
                    long delayNanos = delay.get().toNanos();
                    excessByDelay.computeIfAbsent(delay.get(), d -> new ArrayList<>()).add(gap - delayNanos);
                    int[] counts = earlyAndLate.computeIfAbsent(delay.get(), d -> new int[2]);
                    if (gap < RetryPolicy.shortestWait(delay.get()).toNanos()) {
                        counts[0]++;
                    }
                    if (gap > delayNanos + delayNanos * JITTER_PERCENT / 100 + ONE_SECOND_NANOS) {
                        counts[1]++;
                    }
                }
            }
            if (successes > 0) {
                delivered++;
                duplicateSuccesses += successes - 1;
                afterSuccess += arrivals.length - 1 - firstSuccess;
            }
        }
        List<TierGaps> gaps = new ArrayList<>();
        excessByDelay.forEach((delay, excess) -> {
            Percentiles p = Percentiles.of(excess.stream().mapToLong(Long::longValue).toArray());
            int[] counts = earlyAndLate.get(delay);
            gaps.add(new TierGaps(delay, p.count(), p.percentile(50) / 1e6, p.percentile(99) / 1e6, p.max() / 1e6,
                    counts[0], counts[1]));
        });
        return new Summary(jobs.size(), attempts, refused, delivered, duplicateSuccesses, afterSuccess, gaps);
    }

    /** One job's attempts, in the order they arrived. */
    private static final class JobAttempts {
        private final long seq;
        private long[] arrivals = new long[2];
        private int count;

        JobAttempts(long seq) {
            this.seq = seq;
        }

        synchronized int attempt(long nowNanos, FlakyAnswers answers) {
            if (count == arrivals.length) {
                arrivals = Arrays.copyOf(arrivals, count * 2);
            }
            arrivals[count++] = nowNanos;
            return answers.status(seq, count);
        }

        synchronized long[] arrivals() {
            return Arrays.copyOf(arrivals, count);
        }
    }
}
