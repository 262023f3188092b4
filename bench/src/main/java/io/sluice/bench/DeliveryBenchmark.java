package io.sluice.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Entry point of {@code ./bench.sh}: measures how fast Sluice accepts jobs and delivers them as
 * webhooks, end to end, on the machine it runs on.
 *
 * <p>Steps: start Sluice ({@link SluiceProcess}) or use {@code --target}; create an organization;
 * run the {@link Scenario} chosen with {@code --scenario} ({@link BurstScenario},
 * {@link FlakyScenario}, {@link SlowEndpointScenario}), each of which registers its receivers as
 * endpoints, enqueues through the bulk API ({@link BulkEnqueuer}) and waits for the receivers;
 * append the scenario's section to {@code --output} ({@link ResultSection}).
 *
 * <p>Why end to end through the public API and a real HTTP receiver: that is the path a user's job
 * takes, so the figures include Kafka, PostgreSQL, retries and HTTP, and cannot flatter a component
 * measured in isolation. Duplicates and lost jobs are part of the result because a fast delivery
 * system that loses or repeats webhooks is not a result worth publishing; losing any job makes the
 * run exit non-zero.
 *
 * <p>Exit codes: 0 success, 1 some job was never delivered, 2 the run failed (nothing written),
 * 64 bad command line.
 */
public final class DeliveryBenchmark {

    static final int EXIT_LOST = 1;
    static final int EXIT_FAILED = 2;
    static final int EXIT_USAGE = 64;

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private DeliveryBenchmark() {
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : EXIT_USAGE);
            return;
        }
        int code;
        try {
            code = run(options);
        } catch (BenchFailure e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + e.getMessage());
            if (e.getCause() != null) {
                e.getCause().printStackTrace();
            }
            code = EXIT_FAILED;
        } catch (InterruptedException e) {
            System.err.println("Interrupted");
            code = EXIT_FAILED;
        } catch (Exception e) {
            System.err.println();
            System.err.println("BENCHMARK FAILED:");
            e.printStackTrace();
            code = EXIT_FAILED;
        }
        System.exit(code);
    }

    static int run(BenchOptions options) throws Exception {
        Instant started = Instant.now();
        String timestamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(started);
        MachineInfo machine = MachineInfo.detect();
        System.out.println("Sluice delivery benchmark, scenario " + options.scenario().optionValue() + ": "
                + options.jobs() + " jobs of ~" + options.payloadBytes() + " bytes, bulk " + options.bulkSize()
                + ", concurrency " + options.concurrency());
        System.out.println("Machine: " + machine.describe());

        try (SluiceProcess sluice = options.target() == null
                        ? SluiceProcess.start(options.sluiceJar(), Path.of("bench", "results"), timestamp,
                                sluiceProperties(options))
                        : SluiceProcess.attach(options.target());
                SluiceApi api = new SluiceApi(sluice.baseUrl())) {
            Thread stopOnExit = new Thread(sluice::close, "stop-sluice");
            Runtime.getRuntime().addShutdownHook(stopOnExit);

            String slug = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            String apiKey = api.createOrganization("bench", slug);
            System.out.println("Organization " + slug);
            BenchRun run = new BenchRun(options, machine, sluice, api, apiKey);
            ResultSection report = switch (options.scenario()) {
                case BURST -> BurstScenario.run(run);
                case FLAKY -> FlakyScenario.run(run);
                case SLOW_ENDPOINT -> SlowEndpointScenario.run(run);
                case FAN_OUT -> FanOutScenario.run(run);
                case INGEST -> IngestScenario.run(run);
                case WORKERS -> WorkersScenario.run(run);
                case SCHEDULES -> SchedulesScenario.run(run);
                case REALTIME -> RealtimeScenario.run(run);
            };

            System.out.println();
            System.out.print(report.toMarkdown());
            report.appendTo(options.output());
            System.out.println();
            System.out.println("Appended to " + options.output().toAbsolutePath());
            sluice.logFile().ifPresent(log -> System.out.println("Sluice log: " + log));
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            if (report.lost() > 0) {
                System.err.printf("%,d job(s) were never delivered%n", report.lost());
                return EXIT_LOST;
            }
            return 0;
        }
    }

    /**
     * The Sluice properties a scenario needs beyond the defaults: the flaky scenario's short retry
     * schedule. With {@code --target} they cannot be applied; that Sluice must be started with them.
     */
    static List<String> sluiceProperties(BenchOptions options) {
        return options.scenario() == Scenario.FLAKY ? options.flaky().sluiceArguments() : List.of();
    }

    /**
     * The command as typed: {@code bench.sh} passes it in {@code SLUICE_BENCH_COMMAND} (it also
     * knows about {@code --build}, which it does not forward); otherwise it is rebuilt from the
     * arguments, since running the jar directly is equivalent to {@code ./bench.sh} with them.
     */
    static String command(List<String> args) {
        String fromScript = System.getenv("SLUICE_BENCH_COMMAND");
        if (fromScript != null && !fromScript.isBlank()) {
            return fromScript.strip();
        }
        return args.isEmpty() ? "./bench.sh" : "./bench.sh " + args.stream()
                .map(arg -> SHELL_SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}
