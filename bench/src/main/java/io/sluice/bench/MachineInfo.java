package io.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Describes the machine a result was measured on: CPUs, CPU model, memory, OS and Java runtime.
 *
 * <p>Why: a throughput figure means nothing without the hardware behind it, and results from
 * different machines end up in the same {@code BENCHMARKS.md}. The Java runtime is the one running
 * the bench, which is also the one Sluice is started with ({@link SluiceProcess#javaBinary()}).
 *
 * @param cpus processors available to the JVM (what {@code nproc} prints, cgroup limits included)
 * @param cpuModel the first {@code model name} of {@code /proc/cpuinfo}
 * @param memoryGib total memory from {@code /proc/meminfo}, or 0 if unknown
 * @param os operating system name and kernel version
 * @param java the runtime's version, VM name and vendor, as {@code java -version} reports them
 */
public record MachineInfo(int cpus, String cpuModel, double memoryGib, String os, String java) {

    /** Reads the figures of the current machine; unknown parts read "unknown". */
    public static MachineInfo detect() {
        String cpuModel = "unknown CPU";
        for (String line : readLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpuModel = line.substring(line.indexOf(':') + 1).strip().replaceAll("\\s+", " ");
                break;
            }
        }
        double memoryGib = 0;
        for (String line : readLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String kb = line.substring("MemTotal:".length()).strip().split("\\s+")[0];
                memoryGib = Long.parseLong(kb) / (1024.0 * 1024.0);
                break;
            }
        }
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " " + System.getProperty("os.arch");
        String java = System.getProperty("java.runtime.name", "Java") + " "
                + System.getProperty("java.runtime.version", Runtime.version().toString())
                + " (" + System.getProperty("java.vm.name", "unknown VM") + ", "
                + System.getProperty("java.vm.vendor", "unknown vendor") + ")";
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), cpuModel, memoryGib, os, java);
    }

    /** One line for the report, e.g. {@code 2 CPUs (AMD EPYC 7763), 7.8 GiB RAM, Linux 6.8, OpenJDK 25}. */
    public String describe() {
        String memory = memoryGib > 0 ? String.format(Locale.ROOT, "%.1f GiB RAM", memoryGib) : "unknown RAM";
        return cpus + (cpus == 1 ? " CPU" : " CPUs") + " (" + cpuModel + "), " + memory + ", " + os + ", " + java;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }
}
