package io.sluice.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * CPU time used so far by each part of a run on this machine: the Sluice JVM (with the embedded
 * Kafka), its embedded PostgreSQL, this load generator, and the whole machine.
 * Two readings give each part's CPU per job in between: where a path's time goes, and what
 * two cores allow it at most.
 */
record CpuReading(Optional<Duration> sluice, Optional<Duration> postgres, Optional<Duration> loadGenerator,
                  Optional<Duration> machine) {

    /** CPU milliseconds per job of each part; a part is null where it cannot be read (e.g. {@code --target}). */
    record PerJob(Double sluice, Double postgres, Double loadGenerator, Double machine) {

        /** The most jobs per second the machine's CPUs allow at this cost (null when unknown). */
        Double ceilingPerSecond(int cpus) {
            return machine == null || machine <= 0 ? null : cpus * 1000 / machine;
        }

        /** The report's row label for {@link #describe}, after what was measured. */
        static final String PARTS = "CPU per job, Sluice JVM / PostgreSQL / load generator / machine";

        /** Each part's cost, and the rate the machine allows at that cost. */
        String describe(int cpus) {
            Double ceiling = ceilingPerSecond(cpus);
            return MarkdownTable.cpu(sluice) + " / " + MarkdownTable.cpu(postgres) + " / "
                    + MarkdownTable.cpu(loadGenerator) + " / " + MarkdownTable.cpu(machine)
                    + (ceiling == null ? "" : " (at most " + MarkdownTable.perSecond(ceiling, "jobs") + " on " + cpus
                    + " CPUs)");
        }
    }

    static CpuReading now(SluiceProcess process) {
        return new CpuReading(process.cpuTime(), process.postgresCpuTime(),
                ProcessHandle.current().info().totalCpuDuration(), MachineCpu.busy());
    }

    PerJob perJob(CpuReading later, long jobs) {
        return new PerJob(MachineCpu.millisPer(sluice, later.sluice, jobs),
                MachineCpu.millisPer(postgres, later.postgres, jobs),
                MachineCpu.millisPer(loadGenerator, later.loadGenerator, jobs),
                MachineCpu.millisPer(machine, later.machine, jobs));
    }
}
