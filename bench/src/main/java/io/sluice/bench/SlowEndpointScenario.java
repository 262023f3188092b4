package io.sluice.bench;

import java.time.Instant;

/**
 * {@code --scenario=slow-endpoint}: the healthy delivery rate of one endpoint alone, then with a
 * share of the jobs going to an endpoint that never answers ({@link SilentReceiver}), interleaved
 * in the same bulk requests. The bar: the healthy endpoint keeps at least 90 % of its rate.
 *
 * <p>Each phase has a receiver and endpoint of its own, so its figures count its own jobs only.
 * The slow endpoint's jobs are not waited for: they time out, are retried on Sluice's schedule and
 * dead-lettered in the end, long after the healthy jobs are in; a phase ends at its last healthy
 * delivery. Healthy-only runs first, so the mixed phase meets a JVM that has run longer and a
 * larger database, both of which favour neither phase by much after the warm-up.
 */
final class SlowEndpointScenario {

    private SlowEndpointScenario() {
    }

    static SlowEndpointReport run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        SlowEndpointOptions slowOptions = options.slowEndpoint();
        int healthyJobs = options.jobs();
        JobMix mixed = new JobMix(healthyJobs, slowOptions.slowJobs(healthyJobs));
        run.warmUp();

        System.out.printf("Phase 1: %,d jobs to the healthy endpoint alone%n", healthyJobs);
        SlowEndpointReport.Phase alone = phase(run, new JobMix(healthyJobs, 0), null, null);
        Thread.sleep(BenchRun.SETTLE.toMillis());

        try (SilentReceiver slow = SilentReceiver.start()) {
            String slowEndpointId = run.api().createEndpoint(run.apiKey(), slow.hookUrl(), "bench slow endpoint",
                    slowOptions.timeoutSeconds());
            System.out.printf("Phase 2: %,d healthy jobs and %,d to the slow endpoint %s (timeout %d s)%n",
                    mixed.healthy(), mixed.slow(), slow.hookUrl(), slowOptions.timeoutSeconds());
            SlowEndpointReport.Phase beside = phase(run, mixed, slowEndpointId, slow);
            return new SlowEndpointReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                    run.sluiceDescription(), options.payloadBytes(), options.bulkSize(), options.concurrency(),
                    run.warmUpDescription(), slowOptions, mixed, alone, beside);
        }
    }

    /** Enqueues {@code mix} and waits for its healthy jobs only. */
    private static SlowEndpointReport.Phase phase(BenchRun run, JobMix mix, String slowEndpointId,
            SilentReceiver slow) throws Exception {
        BenchOptions options = run.options();
        try (FastReceiver receiver = FastReceiver.start(mix.healthy())) {
            String endpointId = run.api().createEndpoint(run.apiKey(), receiver.hookUrl(), "bench healthy");
            long slowConnectionsBefore = slow == null ? 0 : slow.connections();
            MixedBodies bodies = new MixedBodies(new PayloadFactory("bench-slow-endpoint", endpointId,
                    options.payloadBytes()), mix, slowEndpointId);
            BulkEnqueuer enqueuer = new BulkEnqueuer(run.api(), run.apiKey(), bodies, mix.total(), options.bulkSize(),
                    options.concurrency());
            BulkEnqueuer.Result enqueue = enqueuer.run(
                    () -> System.out.printf("  enqueued %,d / %,d, healthy delivered %,d%n",
                            enqueuer.enqueuedCount(), mix.total(), receiver.receivedCount()),
                    BenchRun.PROGRESS_MILLIS);
            BenchRun.awaitDeliveries(receiver, options.deliveryTimeout());
            long slowConnections = slow == null ? 0 : slow.connections() - slowConnectionsBefore;

            long[] sendBySeq = new long[mix.healthy()];
            for (int position = 0; position < mix.total(); position++) {
                if (!mix.isSlow(position)) {
                    sendBySeq[(int) mix.seq(position)] = enqueue.sendNanos()[position];
                }
            }
            DeliveryTimes times = DeliveryTimes.of(receiver.arrivalNanos(), sendBySeq);
            SlowEndpointReport.Phase phase = new SlowEndpointReport.Phase(enqueue.jobsPerSecond(),
                    times.jobsPerSecond(enqueue.firstSendNanos()), times.p50Millis(), times.p99Millis(), times.lost(),
                    receiver.duplicates(), receiver.unrecognisedPosts() + receiver.postsWithoutId(), slowConnections);
            System.out.printf("  healthy: %s, p99 %s%n", MarkdownTable.rate(phase.healthyJobsPerSecond()),
                    MarkdownTable.millis(phase.p99Millis()));
            return phase;
        }
    }
}
