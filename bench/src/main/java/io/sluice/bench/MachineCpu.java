package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time the whole machine has spent busy, from the first line of {@code /proc/stat}
 * (user, nice, system, irq, softirq and steal, in clock ticks of 1/100 s, the value Linux
 * uses on every common architecture). Next to throughput it shows where a change saved or
 * spent work, also when the machine was busy with something else.
 */
final class MachineCpu {

    private static final Path STAT = Path.of("/proc/stat");
    private static final long TICKS_PER_SECOND = 100;

    private MachineCpu() {
    }

    /** @return busy time since boot; empty where {@code /proc/stat} does not exist */
    static Optional<Duration> busy() {
        try {
            String[] fields = Files.readAllLines(STAT).getFirst().trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += i < fields.length ? Long.parseLong(fields[i]) : 0;
            }
            return Optional.of(Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** CPU milliseconds per unit of work between two readings; null when either is missing. */
    static Double millisPer(Optional<Duration> before, Optional<Duration> after, long units) {
        if (before.isEmpty() || after.isEmpty()) {
            return null;
        }
        return after.get().minus(before.get()).toNanos() / 1e6 / units;
    }
}
