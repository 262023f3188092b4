package io.sluice.bench;

import static io.sluice.bench.MarkdownTable.againstBar;
import static io.sluice.bench.MarkdownTable.cpu;
import static io.sluice.bench.MarkdownTable.integer;
import static io.sluice.bench.MarkdownTable.millis;
import static io.sluice.bench.MarkdownTable.perSecond;

import java.time.Instant;

/**
 * The figures of one {@code --scenario=fan-out} run and their Markdown section.
 *
 * @param messagesPerSecond   messages accepted per second (each answered after its jobs were committed)
 * @param deliveriesPerSecond deliveries per second, first publish request to last first arrival;
 *                            null unless all arrived
 * @param p50Millis           median publish-to-delivery latency
 * @param p99Millis           99th percentile
 * @param sluiceCpuMsPerDelivery  CPU the Sluice JVM used per delivery, first publish to last arrival
 * @param machineCpuMsPerDelivery the same for the whole machine (Sluice, PostgreSQL, this load generator)
 * @param duplicates          deliveries beyond the first per job
 * @param lost                deliveries that never arrived
 * @param unrecognised        posts without {@code webhook-id} or a known message and endpoint
 */
public record FanOutReport(
        Instant date,
        String label,
        String command,
        String machine,
        String sluice,
        int messages,
        int endpoints,
        int payloadBytes,
        int concurrency,
        String warmUp,
        double messagesPerSecond,
        Double deliveriesPerSecond,
        Double p50Millis,
        Double p99Millis,
        Double sluiceCpuMsPerDelivery,
        Double machineCpuMsPerDelivery,
        long duplicates,
        long lost,
        long unrecognised) implements ResultSection {

    /** The bar, deliveries per second end to end. */
    static final double BAR = 3_000;

    @Override
    public String toMarkdown() {
        MarkdownTable table = new MarkdownTable()
                .row("Sluice", sluice)
                .row("Messages × endpoints", integer(messages) + " × " + endpoints + " = "
                        + integer((long) messages * endpoints) + " deliveries")
                .row("Payload", integer(payloadBytes) + " bytes")
                .row("Publish requests in flight", Integer.toString(concurrency))
                .row("Warm-up before the measured messages", warmUp)
                .row("Publish rate", perSecond(messagesPerSecond, "messages"))
                .row("End-to-end delivery rate (bar: ≥ 3,000/s)", perSecond(deliveriesPerSecond, "deliveries")
                        + againstBar(deliveriesPerSecond, BAR))
                .row("Publish → delivery latency p50 / p99", millis(p50Millis) + " / " + millis(p99Millis))
                .row("CPU per delivery, Sluice JVM", cpu(sluiceCpuMsPerDelivery))
                .row("CPU per delivery, whole machine (includes the load generator and receivers)",
                        cpu(machineCpuMsPerDelivery))
                .row("Duplicate deliveries", integer(duplicates))
                .row("Lost deliveries", integer(lost));
        if (unrecognised > 0) {
            table.row("Unrecognised deliveries", integer(unrecognised));
        }
        table.note("One message per POST /api/v1/messages; Sluice writes the message and its " + endpoints
                + " delivery jobs in one transaction before answering. The rate runs from the first publish"
                + " request to the last delivery's first arrival.");
        return table.render(date, label + " — fan-out, " + integer(messages) + " messages × " + endpoints
                + " endpoints", command, machine);
    }
}
