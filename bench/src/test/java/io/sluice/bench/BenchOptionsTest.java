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
