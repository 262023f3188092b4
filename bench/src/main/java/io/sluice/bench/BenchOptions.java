package io.sluice.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sluice.core.delivery.RetrySchedule;

/**
 * Command-line options of the benchmark, parsed from {@code --name=value} arguments.
 *
 * <p>Why a hand-written parser: the bench is a single jar run by {@code ./bench.sh}; a handful of
 * {@code --key=value} options does not justify a CLI library, and an unknown option must fail
 * loudly rather than be silently ignored (a typo in {@code --jobs} would otherwise publish a
 * figure for the wrong workload).
 *
 * @param jobs number of jobs to enqueue and expect at the receiver
 * @param payloadBytes approximate size of each job payload (JSON) in bytes
 * @param bulkSize jobs per {@code POST /api/v1/jobs/bulk} request
 * @param concurrency bulk requests in flight at once
 * @param target base URL of an already running Sluice, or {@code null} to start one
 * @param output Markdown file the results are appended to
 * @param label free text naming this run in the results heading
 * @param sluiceJar the Sluice jar started when no target is given
 * @param deliveryTimeout how long to wait for the receiver to see every job
 * @param warmupJobs jobs delivered (to a receiver of their own) before the measured burst, so
 *                   the figures are those of a warmed-up JVM; 0 measures a cold one
 * @param scenario what the run measures
 * @param flaky settings of {@link Scenario#FLAKY} (defaults under other scenarios)
 * @param slowEndpoint settings of {@link Scenario#SLOW_ENDPOINT} (defaults under other scenarios)
 * @param fanOutEndpoints endpoints every message of {@link Scenario#FAN_OUT} goes to ({@code --jobs} is
 *                        then the number of messages)
 * @param schedules cron schedules (every minute) of {@link Scenario#SCHEDULES}
 * @param ratePerSecond jobs enqueued per second by {@link Scenario#REALTIME}
 * @param sseClients SSE streams {@link Scenario#REALTIME} holds open at once
 * @param args the raw arguments, echoed in the report as the exact command
 */
public record BenchOptions(
        int jobs,
        int payloadBytes,
        int bulkSize,
        int concurrency,
        URI target,
        Path output,
        String label,
        Path sluiceJar,
        Duration deliveryTimeout,
        int warmupJobs,
        Scenario scenario,
        FlakyOptions flaky,
        SlowEndpointOptions slowEndpoint,
        int fanOutEndpoints,
        int schedules,
        int ratePerSecond,
        int sseClients,
        List<String> args) {

    /**
     * Every option, and the scenario it belongs to ({@code null}: all). An option of another
     * scenario fails the parse: {@code --failure-percent} on a burst run would otherwise be
     * silently ignored and its figures read as if it had applied.
     */
    private static final Map<String, Scenario> KNOWN = known();

    private static Map<String, Scenario> known() {
        Map<String, Scenario> known = new LinkedHashMap<>();
        for (String common : List.of("scenario", "jobs", "payload-bytes", "bulk-size", "concurrency", "target",
                "output", "label", "sluice-jar", "delivery-timeout-seconds", "warmup-jobs", "build", "help")) {
            known.put(common, null);
        }
        for (String flaky : List.of("failure-percent", "seed", "retry-tiers", "retry-schedule", "max-retries")) {
            known.put(flaky, Scenario.FLAKY);
        }
        for (String slow : List.of("slow-percent", "slow-timeout-seconds")) {
            known.put(slow, Scenario.SLOW_ENDPOINT);
        }
        known.put("endpoints", Scenario.FAN_OUT);
        known.put("schedules", Scenario.SCHEDULES);
        known.put("rate", Scenario.REALTIME);
        known.put("sse-clients", Scenario.REALTIME);
        return known;
    }

    static final String USAGE = """
            Usage: ./bench.sh [--build] [--scenario=burst|flaky|slow-endpoint|fan-out|ingest|workers|schedules] [options]
              --scenario=burst                burst: every job at once to a receiver answering 204
                                              flaky: a receiver answering 503 to a seeded share of attempts
                                              slow-endpoint: a healthy endpoint alone, then beside one that
                                                never answers; compares the healthy delivery rates
                                              fan-out: messages, each delivered to every endpoint
                                              ingest: jobs accepted per second by REST bulk, then by
                                                gRPC streams (--concurrency streams), no delivery
                                              workers: --concurrency external workers on spooled.v1
                                                ProcessJobs streams claim and complete queued jobs
                                              schedules: --jobs delayed jobs due in one second (how soon
                                                all are released), then --schedules cron schedules
                                                firing every minute (their CPU cost, how soon each
                                                minute's fires are done)
                                              realtime: --jobs delivered at --rate while SSE clients
                                                follow every completion (latency of a state change),
                                                then --sse-clients streams held at once (their heap)
              --jobs=N                        jobs to enqueue and deliver (burst 50000, flaky 10000,
                                              slow-endpoint 50000 healthy jobs per phase; fan-out: 1000
                                              messages; ingest 100000 per path; workers 50000;
                                              schedules 100000 delayed jobs; realtime 60000)
              --payload-bytes=1024            approximate size of each job payload
              --bulk-size=100                 jobs per bulk enqueue request
              --concurrency=8                 bulk requests in flight
              --target=http://host:port       use a running Sluice (default: start app/target/sluice.jar);
                                              its gRPC port must be 50051
              --output=BENCHMARKS.md          Markdown file the results are appended to
              --label=text                    name of this run in the results heading
              --sluice-jar=app/target/sluice.jar
              --delivery-timeout-seconds=N    default: max(300, jobs / 100)
              --warmup-jobs=20000             delivered first and not measured (JIT warm-up); 0 = cold
              --build                         (bench.sh) rebuild before running
            flaky only:
              --failure-percent=30            attempts answered 503 (0-99), decided per job and attempt
              --seed=1                        same seed: the same jobs fail the same attempts in every run
              --retry-tiers=1s,2s,5s          sluice.retry.tiers of the Sluice started (with --target:
              --retry-schedule=1s,2s,5s         start it with these; they are only used for the report)
              --max-retries=10                default_max_retries of every bulk request (0-100)
            slow-endpoint only:
              --slow-percent=10               share of the mixed phase's jobs for the slow endpoint (1-50)
              --slow-timeout-seconds=2        timeout_seconds of the slow endpoint (1-60)
            fan-out only:
              --endpoints=20                  endpoints every message is delivered to (1-1000); messages
                                              are published one per request, --concurrency at a time
            schedules only:
              --schedules=10000               cron schedules firing every minute (0: delayed jobs only)
            realtime only:
              --rate=2000                     jobs enqueued per second while the latency is measured
              --sse-clients=1000              SSE streams held open at once (0-20000)
            """;

    /** Thrown for a malformed command line; the message is meant for the user. */
    public static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Parses {@code --name=value} arguments; throws {@link UsageException} on anything else. */
    public static BenchOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new UsageException("Unexpected argument: " + arg);
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            String value = eq < 0 ? "" : arg.substring(eq + 1);
            if (!KNOWN.containsKey(name)) {
                throw new UsageException("Unknown option: --" + name);
            }
            values.put(name, value);
        }
        if (values.containsKey("help")) {
            throw new UsageException("");
        }
        Scenario scenario = values.containsKey("scenario") ? Scenario.named(values.get("scenario")) : Scenario.BURST;
        for (String name : values.keySet()) {
            Scenario only = KNOWN.get(name);
            if (only != null && only != scenario) {
                throw new UsageException("--" + name + " applies to --scenario=" + only.optionValue() + " only");
            }
        }
        int jobs = positiveInt(values, "jobs", scenario.defaultJobs());
        int payloadBytes = nonNegativeInt(values, "payload-bytes", 1024);
        int bulkSize = positiveInt(values, "bulk-size", 100);
        int concurrency = positiveInt(values, "concurrency", 8);
        String targetText = values.getOrDefault("target", "").strip();
        URI target = null;
        if (!targetText.isEmpty()) {
            target = URI.create(targetText.endsWith("/")
                    ? targetText.substring(0, targetText.length() - 1) : targetText);
            if (target.getScheme() == null || target.getHost() == null) {
                throw new UsageException("--target must look like http://host:port, got " + targetText);
            }
        }
        Path output = Path.of(nonBlank(values, "output", "BENCHMARKS.md"));
        String label = nonBlank(values, "label", target == null ? "local" : "target " + target);
        Path sluiceJar = Path.of(nonBlank(values, "sluice-jar", "app/target/sluice.jar"));
        long timeoutSeconds = values.containsKey("delivery-timeout-seconds")
                ? positiveInt(values, "delivery-timeout-seconds", 0)
                : Math.max(300, jobs / 100);
        int warmupJobs = nonNegativeInt(values, "warmup-jobs", 20_000);
        return new BenchOptions(jobs, payloadBytes, bulkSize, concurrency, target, output, label,
                sluiceJar, Duration.ofSeconds(timeoutSeconds), warmupJobs, scenario, flaky(values),
                slowEndpoint(values), intWithin(values, "endpoints", 20, 1, 1_000),
                intWithin(values, "schedules", 10_000, 0, 1_000_000), intWithin(values, "rate", 2_000, 1, 100_000),
                intWithin(values, "sse-clients", 1_000, 0, 20_000), List.of(args));
    }

    private static FlakyOptions flaky(Map<String, String> values) {
        int failurePercent = intWithin(values, "failure-percent", FlakyOptions.DEFAULT_FAILURE_PERCENT, 0, 99);
        long seed;
        try {
            seed = Long.parseLong(values.getOrDefault("seed", Long.toString(FlakyOptions.DEFAULT_SEED)).strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be an integer, got '" + values.get("seed") + "'");
        }
        String tiers = nonBlank(values, "retry-tiers", FlakyOptions.DEFAULT_TIERS);
        String delays = nonBlank(values, "retry-schedule", FlakyOptions.DEFAULT_SCHEDULE);
        RetrySchedule schedule;
        try {
            schedule = RetrySchedule.parse(tiers, delays);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--retry-tiers/--retry-schedule: " + e.getMessage());
        }
        if (schedule.delays().isEmpty()) {
            throw new UsageException("--retry-schedule needs at least one delay");
        }
        int maxRetries = intWithin(values, "max-retries", FlakyOptions.DEFAULT_MAX_RETRIES, 0,
                FlakyOptions.MAX_RETRIES_LIMIT);
        return new FlakyOptions(failurePercent, seed, tiers, delays, maxRetries, schedule);
    }

    private static SlowEndpointOptions slowEndpoint(Map<String, String> values) {
        return new SlowEndpointOptions(
                intWithin(values, "slow-percent", SlowEndpointOptions.DEFAULT_SLOW_PERCENT, 1, 50),
                intWithin(values, "slow-timeout-seconds", SlowEndpointOptions.DEFAULT_TIMEOUT_SECONDS, 1, 60));
    }

    private static int intWithin(Map<String, String> values, String name, int fallback, int min, int max) {
        int value = nonNegativeInt(values, name, fallback);
        if (value < min || value > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max);
        }
        return value;
    }

    private static String nonBlank(Map<String, String> values, String name, String fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw new UsageException("--" + name + " needs a value");
        }
        return value.strip();
    }

    private static int positiveInt(Map<String, String> values, String name, int fallback) {
        int value = nonNegativeInt(values, name, fallback);
        if (value <= 0) {
            throw new UsageException("--" + name + " must be positive");
        }
        return value;
    }

    private static int nonNegativeInt(Map<String, String> values, String name, int fallback) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip().replace("_", ""));
            if (value < 0) {
                throw new UsageException("--" + name + " must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + text + "'");
        }
    }
}
