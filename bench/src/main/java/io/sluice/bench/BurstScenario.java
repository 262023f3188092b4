package io.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code --scenario=burst}, the default: every job at once to a {@link FastReceiver} that always
 * answers 204; enqueue and delivery rate, latency, CPU per job, duplicates, lost jobs and memory.
 */
final class BurstScenario {

    private BurstScenario() {
    }

    static BenchmarkReport run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        SluiceApi api = run.api();
        try (FastReceiver receiver = FastReceiver.start(options.jobs())) {
            System.out.println("Receiver listening on " + receiver.hookUrl());
            String endpointId = api.createEndpoint(run.apiKey(), receiver.hookUrl(), "bench");
            System.out.println("Endpoint " + endpointId);
            run.warmUp();

            BulkEnqueuer enqueuer = new BulkEnqueuer(api, run.apiKey(),
                    new PayloadFactory("bench", endpointId, options.payloadBytes()),
                    options.jobs(), options.bulkSize(), options.concurrency());
            Optional<Duration> sluiceCpuBefore = run.sluice().cpuTime();
            Optional<Duration> machineCpuBefore = MachineCpu.busy();
            BulkEnqueuer.Result enqueue = enqueuer.run(
                    () -> System.out.printf("  enqueued %,d / %,d, delivered %,d%n",
                            enqueuer.enqueuedCount(), options.jobs(), receiver.receivedCount()),
                    BenchRun.PROGRESS_MILLIS);
            System.out.printf("Enqueued %,d jobs in %.1f s: %,.0f jobs/s%n", options.jobs(),
                    (enqueue.lastResponseNanos() - enqueue.firstSendNanos()) / 1e9, enqueue.jobsPerSecond());

            boolean complete = BenchRun.awaitDeliveries(receiver, options.deliveryTimeout());
            Double sluiceCpuMsPerJob = MachineCpu.millisPer(sluiceCpuBefore, run.sluice().cpuTime(), options.jobs());
            Double machineCpuMsPerJob = MachineCpu.millisPer(machineCpuBefore, MachineCpu.busy(), options.jobs());
            if (complete) {
                Thread.sleep(BenchRun.SETTLE.toMillis());
            }
            return report(run, receiver, enqueue, sluiceCpuMsPerJob, machineCpuMsPerJob);
        }
    }

    private static BenchmarkReport report(BenchRun run, FastReceiver receiver, BulkEnqueuer.Result enqueue,
            Double sluiceCpuMsPerJob, Double machineCpuMsPerJob) {
        BenchOptions options = run.options();
        DeliveryTimes times = DeliveryTimes.of(receiver.arrivalNanos(), enqueue.sendNanos());
        SluiceProcess sluice = run.sluice();
        Double coldStart = sluice.coldStart().map(d -> d.toMillis() / 1000.0).orElse(null);
        var rss = sluice.peakRssMb();
        var tree = sluice.peakTreeMemoryMb();
        return new BenchmarkReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                run.sluiceDescription(), options.jobs(), options.payloadBytes(), options.bulkSize(),
                options.concurrency(), options.warmupJobs(), enqueue.jobsPerSecond(),
                times.jobsPerSecond(enqueue.firstSendNanos()), times.p50Millis(), times.p99Millis(), times.maxMillis(),
                sluiceCpuMsPerJob, machineCpuMsPerJob, receiver.duplicates(), times.lost(),
                receiver.unrecognisedPosts() + receiver.postsWithoutId(), coldStart,
                rss.isPresent() ? rss.getAsLong() : null, tree.isPresent() ? tree.getAsLong() : null);
    }
}
