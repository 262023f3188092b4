package io.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code --scenario=schedules}: time in Sluice, against the two bars.
 *
 * <ol>
 * <li>Delayed jobs: {@code --jobs} jobs (REST bulk, no endpoint) all with the same
 *     {@code scheduled_at}, far enough ahead to enqueue them first; then the queue's count of
 *     released jobs (a Sluice metric) is polled until it has grown by them all: how long after
 *     that second the last one was released (bar: within 2 s).</li>
 * <li>Idle: Sluice's CPU (the JVM with its embedded Kafka, and its PostgreSQL processes) over
 *     {@value #IDLE_SECONDS} s with nothing due.</li>
 * <li>Cron: {@code --schedules} schedules firing every minute; their CPU over
 *     {@value #CRON_MINUTES} whole minutes less the idle rate, as a share of one core (bar:
 *     under 10 %), the jobs they created (one per schedule and minute), and how long after each
 *     minute began its last fire was written.</li>
 * </ol>
 */
final class SchedulesScenario {

    private static final String DELAYED_QUEUE = "bench.delayed";
    private static final String CRON_QUEUE = "bench.cron";
    static final int IDLE_SECONDS = 60;
    static final int CRON_MINUTES = 3;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String RELEASED = "sluice_scheduled_jobs_released_total";
    private static final String FIRED = "sluice_schedules_fired_jobs_total";
    private static final String LATENESS = "sluice_scheduled_jobs_lateness_seconds";

    private SchedulesScenario() {
    }

    static ResultSection run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        Delayed delayed = delayedJobs(run, options.jobs());
        if (options.schedules() == 0) {
            return new SchedulesReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                    run.sluiceDescription(), options.jobs(), delayed.enqueueSeconds(), delayed.releasedAfterSeconds(),
                    delayed.sluiceP99(), delayed.sluiceMost(), 0, 0, 0, null, null, null);
        }
        Thread.sleep(BenchRun.SETTLE.toMillis() * 5);

        System.out.printf("Idle: %d s%n", IDLE_SECONDS);
        Optional<Duration> idleStart = run.sluice().cpuTimeWithPostgres();
        long idleFrom = System.nanoTime();
        Thread.sleep(IDLE_SECONDS * 1000L);
        Double idleCores = cores(idleStart, run.sluice().cpuTimeWithPostgres(), System.nanoTime() - idleFrom);

        Cron cron = cron(run, options.schedules());
        Double cronCostPercent = idleCores == null || cron.cores() == null ? null : (cron.cores() - idleCores) * 100;
        return new SchedulesReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                run.sluiceDescription(), options.jobs(), delayed.enqueueSeconds(), delayed.releasedAfterSeconds(),
                delayed.sluiceP99(), delayed.sluiceMost(), options.schedules(), CRON_MINUTES, cron.jobs(), cron.slowestMinuteSeconds(),
                idleCores == null ? null : idleCores * 100, cronCostPercent);
    }

    /**
     * @param releasedAfterSeconds from the due second until no job was left scheduled
     * @param sluiceP99            Sluice's own account of the jobs' lateness ({@value #LATENESS}): p99
     * @param sluiceMost           and the most late of them
     */
    private record Delayed(double enqueueSeconds, double releasedAfterSeconds, Double sluiceP99, Double sluiceMost) {
    }

    private static Delayed delayedJobs(BenchRun run, int jobs) throws Exception {
        BenchOptions options = run.options();
        PayloadFactory payloads = new PayloadFactory(DELAYED_QUEUE, null, options.payloadBytes());
        // Enqueued at ~10,000 jobs/s on two cores; twice that time, and at least 30 s, ahead.
        Instant due = Instant.now().plusSeconds(Math.max(30, jobs / 5_000)).truncatedTo(ChronoUnit.SECONDS);
        System.out.printf("Delayed jobs: %,d due at %s%n", jobs, due);
        BulkEnqueuer enqueuer = new BulkEnqueuer(run.api(), run.apiKey(),
                (from, to, sentAt) -> payloads.scheduledBulkBody(from, to, sentAt, due), jobs, options.bulkSize(),
                options.concurrency());
        long start = System.nanoTime();
        enqueuer.run(() -> System.out.printf("  enqueued %,d / %,d%n", enqueuer.enqueuedCount(), jobs),
                BenchRun.PROGRESS_MILLIS);
        double enqueueSeconds = (System.nanoTime() - start) / 1e9;
        if (!Instant.now().isBefore(due)) {
            throw new BenchFailure("enqueueing took until after the jobs' time; use fewer --jobs");
        }
        long scheduled = run.api().jobStats(run.apiKey(), DELAYED_QUEUE).path("scheduled").asLong();
        if (scheduled != jobs) {
            throw new BenchFailure("expected " + jobs + " scheduled jobs before their time, found " + scheduled);
        }
        double releasedBefore = counter(run, RELEASED);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis()));
        Instant deadline = due.plus(options.deliveryTimeout());
        while (counter(run, RELEASED) - releasedBefore < jobs) {
            if (Instant.now().isAfter(deadline)) {
                throw new BenchFailure("delayed jobs still scheduled " + options.deliveryTimeout() + " after their time");
            }
            Thread.sleep(POLL.toMillis());
        }
        double after = Duration.between(due, Instant.now()).toMillis() / 1000.0;
        long left = run.api().jobStats(run.apiKey(), DELAYED_QUEUE).path("scheduled").asLong();
        if (left > 0) {
            throw new BenchFailure(left + " delayed jobs are still scheduled though the releaser counted them all");
        }
        System.out.printf("Delayed jobs: all released %.1f s after their time%n", after);
        String lateness = run.api().prometheusText(LATENESS, LATENESS + "_max");
        OptionalDouble p99 = PrometheusText.valueLabelled(lateness, LATENESS, "quantile=\"0.99\"");
        OptionalDouble most = PrometheusText.value(lateness, LATENESS + "_max");
        return new Delayed(enqueueSeconds, after, p99.isPresent() ? p99.getAsDouble() : null,
                most.isPresent() ? most.getAsDouble() : null);
    }

    /**
     * @param cores                what Sluice used while the schedules fired, in cores
     * @param slowestMinuteSeconds the longest any minute took, from its start, until all its fires were written
     */
    private record Cron(long jobs, Double cores, double slowestMinuteSeconds) {
    }

    private static Cron cron(BenchRun run, int schedules) throws Exception {
        System.out.printf("Cron: creating %,d schedules firing every minute%n", schedules);
        AtomicInteger created = new AtomicInteger();
        try (ExecutorService creators = Executors.newFixedThreadPool(run.options().concurrency())) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < run.options().concurrency(); c++) {
                done.add(creators.submit(() -> {
                    int n;
                    while ((n = created.getAndIncrement()) < schedules) {
                        run.api().createSchedule(run.apiKey(), "{\"name\":\"bench " + n
                                + "\",\"cron_expression\":\"* * * * *\",\"queue_name\":\"" + CRON_QUEUE
                                + "\",\"payload_template\":{\"schedule\":" + n + "}}");
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        // Measure whole minutes, starting a few seconds into one (its fires are then done).
        Instant firstMinute = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Thread.sleep(Duration.between(Instant.now(), firstMinute.plusSeconds(5)).toMillis());
        long before = total(run);
        double firedBefore = counter(run, FIRED);
        Optional<Duration> cpuStart = run.sluice().cpuTimeWithPostgres();
        long from = System.nanoTime();
        double slowest = 0;
        for (int minute = 1; minute <= CRON_MINUTES; minute++) {
            Instant start = firstMinute.plus(Duration.ofMinutes(minute));
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), start).toMillis()));
            long expected = (long) schedules * minute;
            while (counter(run, FIRED) - firedBefore < expected) {
                if (Duration.between(start, Instant.now()).toSeconds() > 55) {
                    throw new BenchFailure("the fires of minute " + start + " were not all written within 55 s");
                }
                Thread.sleep(POLL.toMillis());
            }
            double took = Duration.between(start, Instant.now()).toMillis() / 1000.0;
            System.out.printf("  minute %s: %,d fires written within %.1f s%n", start, schedules, took);
            slowest = Math.max(slowest, took);
        }
        // The window ends as it began, a few seconds into a minute.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(),
                firstMinute.plus(Duration.ofMinutes(CRON_MINUTES)).plusSeconds(5)).toMillis()));
        Double cores = cores(cpuStart, run.sluice().cpuTimeWithPostgres(), System.nanoTime() - from);
        return new Cron(total(run) - before, cores, slowest);
    }

    /**
     * A counter of Sluice's metrics: cheap to read every 100 ms, where counting the queue's jobs
     * would cost Sluice more than what is measured.
     */
    private static double counter(BenchRun run, String sample) {
        // asked for by its family's name, which a counter's sample extends with _total
        String family = sample.replaceFirst("_total$", "");
        return PrometheusText.value(run.api().prometheusText(family), sample)
                .orElseThrow(() -> new BenchFailure("Sluice reports no " + sample));
    }

    private static long total(BenchRun run) {
        return run.api().jobStats(run.apiKey(), CRON_QUEUE).path("total").asLong();
    }

    private static Double cores(Optional<Duration> from, Optional<Duration> to, long elapsedNanos) {
        if (from.isEmpty() || to.isEmpty()) {
            return null;
        }
        return to.get().minus(from.get()).toNanos() / (double) elapsedNanos;
    }
}
