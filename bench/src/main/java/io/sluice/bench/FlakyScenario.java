package io.sluice.bench;

import java.time.Instant;

/**
 * {@code --scenario=flaky}: jobs to a receiver that answers 503 to a seeded share of attempts
 * ({@link FlakyAnswers}), on the short retry schedule Sluice was started with
 * ({@link FlakyOptions#sluiceArguments()}). Measures whether every job is delivered, how long
 * until the last one's first 2xx, attempts, duplicates, and how late Sluice sent its retries.
 */
final class FlakyScenario {

    private FlakyScenario() {
    }

    static FlakyReport run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        FlakyOptions flaky = options.flaky();
        FlakyAnswers answers = new FlakyAnswers(flaky.failurePercent(), flaky.seed());
        FlakyPlan plan = FlakyPlan.of(answers, options.jobs(), flaky.maxRetries(), flaky.schedule());
        System.out.printf("Flaky receiver: %d %% of attempts answered 503 (seed %d); planned %,d attempts,"
                        + " unluckiest job %d × 503 (scheduled wait %.1f s), %,d job(s) exhaust %d retries%n",
                flaky.failurePercent(), flaky.seed(), plan.attempts(), plan.worstFailures(),
                plan.worstScheduledWait().toMillis() / 1000.0, plan.exhausted(), flaky.maxRetries());
        if (plan.exhausted() > 0) {
            System.err.printf("Warning: with this seed %,d job(s) fail every attempt and cannot be delivered;"
                    + " raise --max-retries or change --seed%n", plan.exhausted());
        }

        run.warmUp();
        AttemptLog attempts = new AttemptLog(answers);
        try (FastReceiver receiver = FastReceiver.startFlaky(options.jobs(), attempts)) {
            SluiceApi api = run.api();
            String endpointId = api.createEndpoint(run.apiKey(), receiver.hookUrl(), "bench flaky");
            System.out.println("Flaky receiver on " + receiver.hookUrl() + ", endpoint " + endpointId);
            BulkEnqueuer enqueuer = new BulkEnqueuer(api, run.apiKey(),
                    new PayloadFactory("bench-flaky", endpointId, options.payloadBytes(), flaky.maxRetries()),
                    options.jobs(), options.bulkSize(), options.concurrency());
            BulkEnqueuer.Result enqueue = enqueuer.run(
                    () -> System.out.printf("  enqueued %,d / %,d, delivered %,d%n",
                            enqueuer.enqueuedCount(), options.jobs(), receiver.receivedCount()),
                    BenchRun.PROGRESS_MILLIS);
            System.out.printf("Enqueued %,d jobs: %,.0f jobs/s%n", options.jobs(), enqueue.jobsPerSecond());

            boolean complete = BenchRun.awaitDeliveries(receiver, options.deliveryTimeout());
            if (complete) {
                Thread.sleep(BenchRun.SETTLE.toMillis());
            }
            // Read at once: the quantiles are over a sliding window of about two minutes.
            RetryMetrics metrics = RetryMetrics.parse(api.prometheusText(), FlakyReport.BAR_TIER);
            DeliveryTimes times = DeliveryTimes.of(receiver.arrivalNanos(), enqueue.sendNanos());
            Double completion = times.lost() == 0
                    ? (times.lastArrivalNanos() - enqueue.firstSendNanos()) / 1e9 : null;
            return new FlakyReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                    run.sluiceDescription(), options.payloadBytes(), options.bulkSize(), options.concurrency(),
                    run.warmUpDescription(), flaky, options.jobs(), enqueue.jobsPerSecond(), completion,
                    times.lost(), plan, attempts.summarize(flaky.schedule()), metrics,
                    receiver.unrecognisedPosts() + receiver.postsWithoutId());
        }
    }
}
