package io.sluice.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --scenario=fan-out}: {@code --jobs} messages, published one per request with
 * {@code --concurrency} requests in flight, each fanned out by Sluice to {@code --endpoints}
 * endpoints of a {@link FastReceiver} answering 204. Measures deliveries per second end to end,
 * latency, duplicates and lost deliveries.
 */
final class FanOutScenario {

    static final String EVENT_TYPE = "bench.fanout";

    private FanOutScenario() {
    }

    static ResultSection run(BenchRun run) throws Exception {
        BenchOptions options = run.options();
        int messages = options.jobs();
        int endpoints = options.fanOutEndpoints();
        try (FastReceiver receiver = FastReceiver.startFanOut(messages, endpoints)) {
            for (int lane = 0; lane < endpoints; lane++) {
                run.api().createEndpoint(run.apiKey(), receiver.hookUrl(lane), "bench fan-out " + lane);
            }
            System.out.println(endpoints + " endpoints on " + receiver.hookUrl(0).resolve("."));
            run.warmUp();

            PayloadFactory payloads = new PayloadFactory(EVENT_TYPE, null, options.payloadBytes());
            Optional<Duration> sluiceCpuBefore = run.sluice().cpuTime();
            Optional<Duration> machineCpuBefore = MachineCpu.busy();
            long[] sendNanos = new long[messages * endpoints];
            AtomicInteger next = new AtomicInteger();
            AtomicLong firstSend = new AtomicLong(Long.MAX_VALUE);
            AtomicLong lastResponse = new AtomicLong(Long.MIN_VALUE);
            List<Future<?>> publishers = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int p = 0; p < options.concurrency(); p++) {
                    publishers.add(executor.submit(() -> {
                        int seq;
                        while ((seq = next.getAndIncrement()) < messages) {
                            long sentAt = System.nanoTime();
                            firstSend.accumulateAndGet(sentAt, Math::min);
                            for (int lane = 0; lane < endpoints; lane++) {
                                sendNanos[seq * endpoints + lane] = sentAt;
                            }
                            run.api().publishMessage(run.apiKey(), "{\"event_type\":\"" + EVENT_TYPE
                                    + "\",\"payload\":" + payloads.payload(seq, sentAt) + "}", endpoints);
                            lastResponse.accumulateAndGet(System.nanoTime(), Math::max);
                        }
                        return null;
                    }));
                }
                for (Future<?> publisher : publishers) {
                    try {
                        publisher.get();
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof BenchFailure failure ? failure
                                : new BenchFailure("publishing failed: " + e.getCause(), e.getCause());
                    }
                }
            }
            double messagesPerSecond = messages / ((lastResponse.get() - firstSend.get()) / 1e9);
            System.out.printf("Published %,d messages: %,.0f messages/s%n", messages, messagesPerSecond);

            BenchRun.awaitDeliveries(receiver, options.deliveryTimeout());
            long deliveries = (long) messages * endpoints;
            Double sluiceCpuMs = MachineCpu.millisPer(sluiceCpuBefore, run.sluice().cpuTime(), deliveries);
            Double machineCpuMs = MachineCpu.millisPer(machineCpuBefore, MachineCpu.busy(), deliveries);
            DeliveryTimes times = DeliveryTimes.of(receiver.arrivalNanos(), sendNanos);
            return new FanOutReport(Instant.now(), options.label(), run.command(), run.machine().describe(),
                    run.sluiceDescription(), messages, endpoints, options.payloadBytes(), options.concurrency(),
                    run.warmUpDescription(), messagesPerSecond, times.jobsPerSecond(firstSend.get()),
                    times.p50Millis(), times.p99Millis(), sluiceCpuMs, machineCpuMs, receiver.duplicates(), times.lost(),
                    receiver.unrecognisedPosts() + receiver.postsWithoutId());
        }
    }
}
