package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkReportTest {

    @TempDir
    Path dir;

    private static BenchmarkReport report(String label, Long rss) {
        return new BenchmarkReport(Instant.parse("2025-03-04T05:06:07Z"), label, "./bench.sh --jobs=10",
                "2 CPUs (Test CPU)", "started from app/target/sluice.jar (-Xmx2g)", 10, 1024, 100, 8, 0,
                12_345.6, 9_876.5, 12.34, 56.78, 90.0, 0.4216, null, 1, 0, 0, 4.26, rss, null);
    }

    @Test
    void createsTheFileWithItsPreambleThenOnlyAppends() throws Exception {
        Path file = dir.resolve("BENCHMARKS.md");
        report("first", 700L).appendTo(file);
        report("second", null).appendTo(file);

        String text = Files.readString(file);
        assertThat(text).startsWith("# Benchmarks\n\nEvery figure here is written by `./bench.sh` (the bench module);"
                + " never edit figures by hand.\n\n## 2025-03-04 05:06 UTC — first\n");
        assertThat(text.split("# Benchmarks", -1)).hasSize(2);
        assertThat(text.indexOf("— first")).isLessThan(text.indexOf("— second"));
        assertThat(text)
                .contains("Command: `./bench.sh --jobs=10`")
                .contains("Machine: 2 CPUs (Test CPU)")
                .contains("| Enqueue rate | 12,346 jobs/s |")
                .contains("| End-to-end delivery rate | 9,877 jobs/s |")
                .contains("| Enqueue → delivery latency p99 | 56.8 ms |")
                .contains("| Duplicate deliveries | 1 |")
                .contains("| Lost jobs | 0 |")
                .contains("| Warm-up before the measured jobs | none (cold JVM) |")
                .contains("| CPU per job, Sluice JVM | 0.422 ms |")
                .contains("| CPU per job, whole machine (includes the load generator and receiver) | n/a |")
                .contains("| Cold start | 4.3 s |")
                .contains("| Peak RSS, Sluice JVM | 700 MiB |")
                .contains("| Peak RSS, Sluice JVM | n/a |");
    }

    @Test
    void keepsExistingContentOfAFileWithoutTrailingNewline() throws Exception {
        Path file = dir.resolve("B.md");
        Files.writeString(file, "# Benchmarks\n\nold section");
        report("new", null).appendTo(file);
        assertThat(Files.readString(file)).startsWith("# Benchmarks\n\nold section\n\n## 2025-03-04 05:06 UTC — new\n");
    }
}
