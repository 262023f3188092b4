package io.sluice.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a run measures, chosen with {@code --scenario}. Every scenario starts Sluice, a receiver and
 * the load generator the same way and appends a section of its own to the results file.
 */
public enum Scenario {

    /** Every job at once to a receiver that always answers 204: enqueue and delivery throughput. */
    BURST("burst", 50_000),

    /**
     * A receiver that refuses a seeded share of attempts with 503, on a short retry schedule: is
     * every job delivered, how long does it take, how many duplicates, how late are retries.
     */
    FLAKY("flaky", 10_000),

    /**
     * A healthy endpoint alone, then beside one that never answers: how much of the healthy
     * endpoint's delivery rate the slow one costs.
     */
    SLOW_ENDPOINT("slow-endpoint", 50_000),

    /**
     * Messages published one per request and fanned out to every endpoint of the organization:
     * deliveries per second end to end (the workload: 1,000 messages × 20 endpoints).
     */
    FAN_OUT("fan-out", 1_000),

    /**
     * Jobs accepted durably per second, by REST bulk requests and by gRPC streams, with no
     * delivery: the ingest path alone.
     */
    INGEST("ingest", 100_000),

    /**
     * External workers on spooled.v1 ProcessJobs streams claiming and completing jobs that wait
     * for them: round trips per second.
     */
    WORKERS("workers", 50_000),

    /**
     * Time in Sluice: jobs delayed to one second, and how soon after it they are all released;
     * then cron schedules firing every minute, and what they cost.
     */
    SCHEDULES("schedules", 100_000),

    /**
     * The realtime streams: how soon a state change reaches SSE clients while deliveries flow at
     * {@code --rate}, and what {@code --sse-clients} streams held at once cost in heap.
     */
    REALTIME("realtime", 60_000);

    private final String optionValue;
    private final int defaultJobs;

    Scenario(String optionValue, int defaultJobs) {
        this.optionValue = optionValue;
        this.defaultJobs = defaultJobs;
    }

    /** The name on the command line, e.g. {@code slow-endpoint}. */
    public String optionValue() {
        return optionValue;
    }

    /** {@code --jobs} when not given: the workload the issue states for this scenario. */
    public int defaultJobs() {
        return defaultJobs;
    }

    /** The scenario named {@code value} on the command line. */
    public static Scenario named(String value) {
        for (Scenario scenario : values()) {
            if (scenario.optionValue.equals(value.strip())) {
                return scenario;
            }
        }
        throw new BenchOptions.UsageException("--scenario must be one of "
                + Arrays.stream(values()).map(Scenario::optionValue).collect(Collectors.joining(", "))
                + ", got '" + value + "'");
    }
}
