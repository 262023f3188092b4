package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioReportsTest {

    private static final Instant DATE = Instant.parse("2025-03-04T05:06:07Z");

    @TempDir
    Path dir;

    private static FlakyReport flaky(Double completionSeconds, long neverDelivered, Double p99Seconds) {
        FlakyOptions options = BenchOptions.parse("--scenario=flaky").flaky();
        AttemptLog.Summary seen = new AttemptLog.Summary(10_000, 14_290, 4_290, 10_000, 1, 3, List.of(
                new AttemptLog.TierGaps(Duration.ofSeconds(1), 3_000, 12.4, 95.6, 180.2, 0, 0),
                new AttemptLog.TierGaps(Duration.ofSeconds(5), 80, -150, 430, 470, 0, 2)));
        RetryMetrics metrics = new RetryMetrics(0.0123, p99Seconds, 0.4, 4_290, 42.9, 4_290, 0, 14_290);
        FlakyPlan plan = new FlakyPlan(14_283, 4_283, 0, 7, Duration.ofSeconds(28));
        return new FlakyReport(DATE, "local", "./bench.sh --scenario=flaky", "2 CPUs (Test CPU)",
                "started from app/target/sluice.jar (-Xmx2g)", 1024, 100, 8, "20,000 jobs delivered", options,
                10_000, 5_432.1, completionSeconds, neverDelivered, plan, seen, metrics, 0);
    }

    @Test
    void ingestSectionSaysWhatEachPathCostsAndWhatThatAllowsOnTheMachine() {
        CpuReading.PerJob bulk = new CpuReading.PerJob(0.138, 0.05, 0.015, 0.2);
        CpuReading.PerJob unknown = new CpuReading.PerJob(null, null, 0.01, null);
        String text = new IngestReport(DATE, "local", "./bench.sh --scenario=ingest", "2 CPUs (Test CPU)",
                "started from app/target/sluice.jar (-Xmx2g)", 100_000, 1024, 100, 8, "20,000 jobs delivered",
                9_416, 64, 1_507, 40.5, 100.7, 8_038, 11_291, 0, 2, List.of(bulk, bulk, unknown, bulk)).toMarkdown();

        assertThat(text)
                .contains("| REST bulk (100 jobs per request, 8 in flight; bar: ≥ 10,000/s) | 9,416 jobs/s (below the bar) |")
                .contains("| REST bulk: CPU per job, Sluice JVM / PostgreSQL / load generator / machine |"
                        + " 0.138 ms / 0.050 ms / 0.015 ms / 0.200 ms (at most 10,000 jobs/s on 2 CPUs) |")
                .contains("| gRPC EnqueueJobs: CPU per job, Sluice JVM / PostgreSQL / load generator / machine |"
                        + " n/a / n/a / 0.010 ms / n/a |");
    }

    @Test
    void flakySectionIsLabelledAndCarriesEveryFigure() {
        String text = flaky(31.25, 0, 0.105).toMarkdown();
        assertThat(text)
                .startsWith("## 2025-03-04 05:06 UTC — local — flaky receiver, 30 % 503\n\n"
                        + "Command: `./bench.sh --scenario=flaky`\n\nMachine: 2 CPUs (Test CPU)\n\n")
                .contains("| Retry tiers / schedule | `1s,2s,5s` / `1s,2s,5s` (the last delay repeats), `default_max_retries` 10 |")
                .contains("| Receiver | 30 % of attempts answered 503 (seed 1, per job and attempt), 204 otherwise |")
                .contains("| Jobs | 10,000 |")
                .contains("| First enqueue → last job's first 2xx | 31.3 s |")
                .contains("| Unluckiest job by the seed: 503s before its 2xx, scheduled wait (±10 % jitter) | 7, 28.0 s |")
                .contains("| Jobs never delivered (bar: 0) | 0 |")
                .contains("| Duplicate successful deliveries (2xx more than once per job) | 1 |")
                .contains("| Attempts after a job's first 2xx | 3 |")
                .contains("| Attempts received (planned) | 14,290 (14,283) |")
                .contains("| Answered 503 (planned) | 4,290 (4,283) |")
                .contains("| Retries forwarded, Sluice (`sluice_retry_forwarded_total`) | 4,290 |")
                .contains("| Retry lateness p50, Sluice (5s tier) | 12.3 ms |")
                .contains("| Retry lateness p99, Sluice (5s tier; bar: ≤ 1 s) | 105.0 ms (within the bar) |")
                .contains("| Retry lateness mean over the whole run, Sluice (5s tier) | 10.0 ms |")
                .contains("| Receiver-side gap − delay, 1s delay (3,000 retries) | p50 +12 ms, p99 +96 ms, max +180 ms;"
                        + " early 0; > 1 s late for sure 0 |")
                .contains("| Receiver-side gap − delay, 5s delay (80 retries) | p50 -150 ms, p99 +430 ms, max +470 ms;"
                        + " early 0; > 1 s late for sure 2 |")
                .contains("shown here for the 5s tier")
                .doesNotContain("This run took longer than that window")
                .doesNotContain("Unrecognised");
    }

    @Test
    void flakySectionSaysWhenJobsWereLostOrRetriesLate() {
        FlakyReport report = flaky(null, 3, 1.5);
        assertThat(report.lost()).isEqualTo(3);
        assertThat(report.toMarkdown())
                .contains("| First enqueue → last job's first 2xx | n/a |")
                .contains("| Jobs never delivered (bar: 0) | 3 |")
                .contains("1,500.0 ms (over the bar)")
                .contains("This run took longer than that window");
    }

    private static SlowEndpointReport slow(Double aloneRate, Double besideRate) {
        SlowEndpointReport.Phase alone = new SlowEndpointReport.Phase(9_000, aloneRate, 800.0, 2_100.0, 0, 0, 0, 0);
        SlowEndpointReport.Phase beside = new SlowEndpointReport.Phase(8_000, besideRate, 900.0, 2_500.0, 0, 1, 0, 640);
        return new SlowEndpointReport(DATE, "local", "./bench.sh --scenario=slow-endpoint", "2 CPUs (Test CPU)",
                "started from app/target/sluice.jar (-Xmx2g)", 1024, 100, 8, "none (cold JVM)",
                new SlowEndpointOptions(10, 2), new JobMix(50_000, 5_556), alone, beside);
    }

    @Test
    void slowEndpointSectionComparesTheHealthyRates() {
        SlowEndpointReport report = slow(4_000.0, 3_700.0);
        assertThat(report.keptPercent()).isEqualTo(92.5);
        assertThat(report.toMarkdown())
                .startsWith("## 2025-03-04 05:06 UTC — local — slow endpoint, 10 % of jobs\n\n")
                .contains("| Slow endpoint | accepts connections, never answers; `timeout_seconds` 2; Sluice's default retry schedule |")
                .contains("| Slow-endpoint jobs in the mixed phase | 5,556 (10 % of 55,556, spread through every bulk request) |")
                .contains("| Healthy alone: healthy delivery rate | 4,000 jobs/s |")
                .contains("| Healthy alone: enqueue → delivery p50 / p99 | 800.0 ms / 2,100.0 ms |")
                .contains("| With slow endpoint: healthy delivery rate | 3,700 jobs/s |")
                .contains("| Healthy rate kept with the slow endpoint (bar: ≥ 90 %) | 92.5 % (meets the bar) |")
                .contains("| Connections the slow endpoint accepted until the last healthy delivery | 640 |")
                .contains("| Duplicate healthy deliveries | 1 |");
        assertThat(slow(4_000.0, 2_000.0).toMarkdown()).contains("| 50.0 % (below the bar) |");
        assertThat(slow(4_000.0, null).toMarkdown()).contains("| Healthy rate kept with the slow endpoint (bar: ≥ 90 %) | n/a |");
    }

    @Test
    void realtimeSectionJudgesBothBarsAndCountsMissedMessagesAsLost() {
        RealtimeReport met = new RealtimeReport(DATE, "local", "./bench.sh --scenario=realtime", "2 CPUs (Test CPU)",
                "started from app/target/sluice.jar (-Xmx2g)", 60_000, 2_010.0, 4, 240_000, 240_000, 0, 120.0, 480.0,
                900.0, 90.0, 30.5, 1_000, 1_000, 1_000, 41.5);
        assertThat(met.toMarkdown())
                .startsWith("## 2025-03-04 05:06 UTC — local — realtime streams (SSE)\n\n")
                .contains("| Jobs delivered while watched | 60,000 at 2,010 deliveries/s |")
                .contains("| State change to SSE client, p99 (bar: ≤ 1 s) | 480.0 ms (meets the bar) |")
                .contains("| Of which, mean: change to Kafka (relay) / Kafka to the node's feed | 90.0 ms / 30.5 ms |")
                .contains("| SSE clients held open at once (connected / reached by a push) | 1,000 (1,000 / 1,000) |")
                .contains("| Extra heap with them held, after a full GC (bar: < 256 MB) | 41.5 MB (meets the bar) |");
        assertThat(met.lost()).isZero();

        RealtimeReport missed = new RealtimeReport(DATE, "local", "cmd", "m", "s", 60_000, 2_000.0, 4, 240_000,
                239_990, 2, 120.0, 1_480.0, 2_000.0, null, null, 1_000, 990, 990, null);
        assertThat(missed.lost()).isEqualTo(10);
        assertThat(missed.toMarkdown()).contains("| 1,480.0 ms (above the bar) |")
                .contains("| Extra heap with them held, after a full GC (bar: < 256 MB) | n/a |");
    }

    @Test
    void everyScenarioAppendsToTheSameFile() throws Exception {
        Path file = dir.resolve("results.md");
        flaky(31.25, 0, 0.105).appendTo(file);
        slow(4_000.0, 3_700.0).appendTo(file);
        String text = Files.readString(file);
        assertThat(text).startsWith(ResultsFile.PREAMBLE + "\n## 2025-03-04 05:06 UTC — local — flaky receiver");
        assertThat(text.indexOf("— flaky receiver")).isLessThan(text.indexOf("— slow endpoint"));
    }
}
