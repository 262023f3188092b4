package io.sluice.bench;

import static io.sluice.bench.MarkdownTable.integer;
import static io.sluice.bench.MarkdownTable.millis;
import static io.sluice.bench.MarkdownTable.perSecond;

import java.time.Instant;

/**
 * The figures of one {@code --scenario=realtime} run and their Markdown section.
 *
 * @param deliveriesPerSecond the delivery rate while the latency was measured
 * @param watchers            SSE clients that measured it, each on every job's completion
 * @param messagesExpected    completions every watcher should have seen, times the watchers
 * @param messagesSeen        distinct completions they saw
 * @param reconnects          times a watcher's stream was ended by Sluice (too slow) and resumed with
 *                            {@code Last-Event-ID}, as a browser's EventSource does
 * @param p50Millis           from a job's state change in PostgreSQL to its arrival at a client
 * @param heldClients         SSE clients then held open at once
 * @param changeToKafkaMeanMillis mean time from a change in PostgreSQL until the relay put it on Kafka
 *                            ({@code sluice_live_lag_seconds{leg="change_to_kafka"}} while watched)
 * @param kafkaToFeedMeanMillis mean time from there until the node's feed read it
 * @param heldConnected       of them, how many were connected (sent the opening comment)
 * @param heldReached         of them, how many got the queue's counts pushed afterwards
 * @param extraHeapMb         heap used after a full GC with them held, less before them; null
 *                            when Sluice's process cannot be inspected ({@code --target})
 */
public record RealtimeReport(
        Instant date,
        String label,
        String command,
        String machine,
        String sluice,
        int jobs,
        double deliveriesPerSecond,
        int watchers,
        long messagesExpected,
        long messagesSeen,
        long reconnects,
        Double p50Millis,
        Double p99Millis,
        Double maxMillis,
        Double changeToKafkaMeanMillis,
        Double kafkaToFeedMeanMillis,
        int heldClients,
        int heldConnected,
        int heldReached,
        Double extraHeapMb) implements ResultSection {

    static final double LATENCY_BAR_MILLIS = 1_000;
    static final double HEAP_BAR_MB = 256;

    /** Completions a watcher missed: the stream lost them. */
    @Override
    public long lost() {
        return Math.max(0, messagesExpected - messagesSeen);
    }

    @Override
    public String toMarkdown() {
        MarkdownTable table = new MarkdownTable()
                .row("Sluice", sluice)
                .row("Jobs delivered while watched", integer(jobs) + " at " + perSecond(deliveriesPerSecond, "deliveries"))
                .row("SSE clients watching every completion", integer(watchers))
                .row("Completions they received (expected " + integer(messagesExpected) + ")", integer(messagesSeen))
                .row("Streams resumed with Last-Event-ID after Sluice ended them", integer(reconnects))
                .row("State change to SSE client, p50", millis(p50Millis))
                .row("State change to SSE client, p99 (bar: ≤ 1 s)", millis(p99Millis)
                        + (p99Millis == null ? "" : p99Millis <= LATENCY_BAR_MILLIS ? " (meets the bar)" : " (above the bar)"))
                .row("State change to SSE client, max", millis(maxMillis))
                .row("Of which, mean: change to Kafka (relay) / Kafka to the node's feed",
                        millis(changeToKafkaMeanMillis) + " / " + millis(kafkaToFeedMeanMillis))
                .row("SSE clients held open at once (connected / reached by a push)", integer(heldClients) + " ("
                        + integer(heldConnected) + " / " + integer(heldReached) + ")")
                .row("Extra heap with them held, after a full GC (bar: < 256 MB)", extraHeapMb == null ? "n/a"
                        : String.format(java.util.Locale.ROOT, "%.1f MB", extraHeapMb)
                        + (extraHeapMb < HEAP_BAR_MB ? " (meets the bar)" : " (above the bar)"));
        table.note("Latency: from the change's time in PostgreSQL (the `at` of its `JobCompleted`, taken in the"
                + " transaction that made it) to the frame's arrival at the client, on the same machine's clock;"
                + " it spans the trigger, the change relay, Kafka, the node's live feed and the SSE write. The"
                + " clients follow `/api/v1/events?events=JobCompleted`; the held ones follow"
                + " `/api/v1/events/queues/{name}`. Heap: `jcmd GC.run`, then `GC.heap_info`, before and after.");
        return table.render(date, label + " — realtime streams (SSE)", command, machine);
    }
}
