package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaults() {
        BenchOptions options = BenchOptions.parse();
        assertThat(options.jobs()).isEqualTo(50_000);
        assertThat(options.payloadBytes()).isEqualTo(1024);
        assertThat(options.bulkSize()).isEqualTo(100);
        assertThat(options.concurrency()).isEqualTo(8);
        assertThat(options.warmupJobs()).isEqualTo(20_000);
        assertThat(options.target()).isNull();
        assertThat(options.output()).isEqualTo(Path.of("BENCHMARKS.md"));
        assertThat(options.sluiceJar()).isEqualTo(Path.of("app/target/sluice.jar"));
        assertThat(options.deliveryTimeout()).isEqualTo(Duration.ofSeconds(500));
        assertThat(options.scenario()).isEqualTo(Scenario.BURST);
    }

    @Test
    void eachScenarioHasTheIssuesJobCountAndItsOwnDefaults() {
        BenchOptions flaky = BenchOptions.parse("--scenario=flaky");
        assertThat(flaky.scenario()).isEqualTo(Scenario.FLAKY);
        assertThat(flaky.jobs()).isEqualTo(10_000);
        assertThat(flaky.flaky().failurePercent()).isEqualTo(30);
        assertThat(flaky.flaky().maxRetries()).isEqualTo(10);
        assertThat(flaky.flaky().sluiceArguments())
                .containsExactly("--sluice.retry.tiers=1s,2s,5s", "--sluice.retry.schedule=1s,2s,5s");
        assertThat(flaky.flaky().schedule().delayAfter(5)).contains(Duration.ofSeconds(5));

        BenchOptions slow = BenchOptions.parse("--scenario=slow-endpoint", "--jobs=900");
        assertThat(slow.scenario()).isEqualTo(Scenario.SLOW_ENDPOINT);
        assertThat(slow.slowEndpoint().timeoutSeconds()).isEqualTo(2);
        assertThat(slow.slowEndpoint().slowJobs(slow.jobs())).as("10 %% of 900 + 100").isEqualTo(100);
        assertThat(DeliveryBenchmark.sluiceProperties(slow)).isEmpty();

        BenchOptions fanOut = BenchOptions.parse("--scenario=fan-out");
        assertThat(fanOut.scenario()).isEqualTo(Scenario.FAN_OUT);
        assertThat(fanOut.jobs()).as("messages").isEqualTo(1_000);
        assertThat(fanOut.fanOutEndpoints()).isEqualTo(20);
        assertThat(BenchOptions.parse("--scenario=fan-out", "--endpoints=5").fanOutEndpoints()).isEqualTo(5);
        assertThatThrownBy(() -> BenchOptions.parse("--endpoints=5")).hasMessageContaining("applies to --scenario=fan-out only");
    }

    @Test
    void parsesTheScenarioOptions() {
        BenchOptions flaky = BenchOptions.parse("--scenario=flaky", "--failure-percent=50", "--seed=-7",
                "--retry-tiers=1s,5s", "--retry-schedule=1s,1s,5s", "--max-retries=100");
        assertThat(flaky.flaky().failurePercent()).isEqualTo(50);
        assertThat(flaky.flaky().seed()).isEqualTo(-7);
        assertThat(flaky.flaky().maxRetries()).isEqualTo(100);
        assertThat(DeliveryBenchmark.sluiceProperties(flaky))
                .containsExactly("--sluice.retry.tiers=1s,5s", "--sluice.retry.schedule=1s,1s,5s");

        BenchOptions slow = BenchOptions.parse("--scenario=slow-endpoint", "--slow-percent=20",
                "--slow-timeout-seconds=1");
        assertThat(slow.slowEndpoint()).isEqualTo(new SlowEndpointOptions(20, 1));
    }

    @Test
    void rejectsScenarioOptionsOfAnotherScenarioAndBadValues() {
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=storm")).hasMessageContaining("burst, flaky, slow-endpoint, fan-out");
        assertThatThrownBy(() -> BenchOptions.parse("--failure-percent=30"))
                .hasMessageContaining("--failure-percent applies to --scenario=flaky only");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=flaky", "--slow-timeout-seconds=2"))
                .hasMessageContaining("--scenario=slow-endpoint only");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=flaky", "--failure-percent=100"))
                .hasMessageContaining("between 0 and 99");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=flaky", "--max-retries=101"))
                .hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=flaky", "--retry-schedule=1s,3s"))
                .hasMessageContaining("not one of the tiers");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=flaky", "--seed=x")).hasMessageContaining("--seed");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=slow-endpoint", "--slow-timeout-seconds=61"))
                .hasMessageContaining("between 1 and 60");
        assertThatThrownBy(() -> BenchOptions.parse("--scenario=slow-endpoint", "--slow-percent=0"))
                .hasMessageContaining("between 1 and 50");
    }

    @Test
    void parsesEveryOption() {
        BenchOptions options = BenchOptions.parse("--jobs=1000", "--payload-bytes=256", "--bulk-size=50",
                "--concurrency=4", "--target=http://10.0.0.5:8080/", "--output=out.md", "--label=laptop run",
                "--build", "--delivery-timeout-seconds=30");
        assertThat(options.jobs()).isEqualTo(1000);
        assertThat(options.target()).isEqualTo(URI.create("http://10.0.0.5:8080"));
        assertThat(options.label()).isEqualTo("laptop run");
        assertThat(options.deliveryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(BenchOptions.parse("--target=").target()).isNull();
        assertThat(BenchOptions.parse("--warmup-jobs=0").warmupJobs()).isZero();
    }

    @Test
    void rejectsTyposAndBadValues() {
        assertThatThrownBy(() -> BenchOptions.parse("--jobz=5")).hasMessageContaining("--jobz");
        assertThatThrownBy(() -> BenchOptions.parse("--jobs=0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> BenchOptions.parse("--jobs=lots")).hasMessageContaining("integer");
        assertThatThrownBy(() -> BenchOptions.parse("--target=localhost")).hasMessageContaining("http://host:port");
        assertThatThrownBy(() -> BenchOptions.parse("jobs=5")).isInstanceOf(BenchOptions.UsageException.class);
    }

    @Test
    void commandIsShellQuoted() {
        assertThat(DeliveryBenchmark.command(java.util.List.of("--jobs=10", "--label=it's late")))
                .isEqualTo(System.getenv("SLUICE_BENCH_COMMAND") != null ? System.getenv("SLUICE_BENCH_COMMAND").strip()
                        : "./bench.sh --jobs=10 '--label=it'\\''s late'");
    }
}
