package io.sluice.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        List<String> args) {

    private static final Set<String> KNOWN = Set.of(
            "jobs", "payload-bytes", "bulk-size", "concurrency", "target", "output", "label",
            "sluice-jar", "delivery-timeout-seconds", "warmup-jobs", "build", "help");

    static final String USAGE = """
            Usage: ./bench.sh [--build] [options]
              --jobs=50000                    jobs to enqueue and deliver
              --payload-bytes=1024            approximate size of each job payload
              --bulk-size=100                 jobs per bulk enqueue request
              --concurrency=8                 bulk requests in flight
              --target=http://host:port       use a running Sluice (default: start app/target/sluice.jar)
              --output=BENCHMARKS.md          Markdown file the results are appended to
              --label=text                    name of this run in the results heading
              --sluice-jar=app/target/sluice.jar
              --delivery-timeout-seconds=N    default: max(300, jobs / 100)
              --warmup-jobs=20000             delivered first and not measured (JIT warm-up); 0 = cold
              --build                         (bench.sh) rebuild before running
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
            if (!KNOWN.contains(name)) {
                throw new UsageException("Unknown option: --" + name);
            }
            values.put(name, value);
        }
        if (values.containsKey("help")) {
            throw new UsageException("");
        }
        int jobs = positiveInt(values, "jobs", 50_000);
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
                sluiceJar, Duration.ofSeconds(timeoutSeconds), warmupJobs, List.of(args));
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
