package io.sluice.bench;

import static io.sluice.bench.MarkdownTable.integer;
import static io.sluice.bench.MarkdownTable.percent;
import static io.sluice.bench.MarkdownTable.seconds;

import java.time.Instant;

/**
 * The figures of one {@code --scenario=schedules} run and their Markdown section.
 *
 * @param releasedAfterSeconds from the delayed jobs' second until none was left scheduled
 * @param sluiceP99Seconds     Sluice's own account of how late they were released: p99
 * @param sluiceMostSeconds    and the most late ({@code sluice_scheduled_jobs_lateness_seconds})
 * @param cronJobs             jobs the schedules created in the measured minutes
 * @param slowestMinuteSeconds the longest a minute took, from its start, until all its fires were written
 * @param idlePercent          Sluice's CPU with nothing due, in % of one core
 * @param cronCostPercent      Sluice's CPU while the schedules fired less the idle figure, in % of one core
 */
public record SchedulesReport(
        Instant date,
        String label,
        String command,
        String machine,
        String sluice,
        int delayedJobs,
        double enqueueSeconds,
        double releasedAfterSeconds,
        Double sluiceP99Seconds,
        Double sluiceMostSeconds,
        int schedules,
        int minutes,
        long cronJobs,
        Double slowestMinuteSeconds,
        Double idlePercent,
        Double cronCostPercent) implements ResultSection {

    /** The bars: delayed jobs released within 2 s of their second; cron under 10 % of a core. */
    static final double RELEASE_BAR_SECONDS = 2;
    static final int RELEASE_BAR_JOBS = 100_000;
    static final double CRON_BAR_PERCENT = 10;

    /** Fires the schedules owed in the measured minutes and did not make. */
    @Override
    public long lost() {
        return Math.max(0, (long) schedules * minutes - cronJobs);
    }

    @Override
    public String toMarkdown() {
        MarkdownTable table = new MarkdownTable()
                .row("Sluice", sluice)
                .row("Delayed jobs, all due in the same second", integer(delayedJobs) + " (enqueued by REST bulk in "
                        + seconds(enqueueSeconds) + ")")
                .row("Last of them released, after their second (bar: ≤ 2 s for 100,000)", seconds(releasedAfterSeconds)
                        + (delayedJobs < RELEASE_BAR_JOBS ? " (fewer jobs than the bar's)"
                        : releasedAfterSeconds <= RELEASE_BAR_SECONDS ? " (meets the bar)" : " (above the bar)"))
                .row("Sluice's own account of their lateness, p99 / most", seconds(sluiceP99Seconds) + " / "
                        + seconds(sluiceMostSeconds))
                .row("Cron schedules, every minute", schedules == 0 ? "none (--schedules=0)" : integer(schedules))
                .row("Jobs they created in " + minutes + " measured minutes (expected " + integer((long) schedules * minutes)
                        + ")", integer(cronJobs))
                .row("Slowest minute: all its fires written, after the minute began", seconds(slowestMinuteSeconds))
                .row("Sluice CPU with nothing due (JVM with Kafka, and PostgreSQL)", percent(idlePercent) + " of one core")
                .row("CPU the schedules cost, beyond idle (bar: < 10 % of one core)", percent(cronCostPercent)
                        + " of one core" + (cronCostPercent == null ? ""
                        : cronCostPercent < CRON_BAR_PERCENT ? " (meets the bar)" : " (above the bar)"));
        table.note("A delayed job is released when it leaves the scheduled state for the outbox (pending), and a"
                + " fire is written with its job; both are read from Sluice's metrics, polled every 100 ms. Sluice's own"
                + " account is its sluice_scheduled_jobs_lateness_seconds (each job's release commit less its"
                + " scheduled_at), read once all are released. CPU is read from /proc for the Sluice JVM and its"
                + " PostgreSQL processes.");
        return table.render(date, label + " — delayed jobs and cron schedules", command, machine);
    }
}
