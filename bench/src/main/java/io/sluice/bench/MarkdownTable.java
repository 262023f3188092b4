package io.sluice.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A results section as every scenario writes it: a {@code ##} heading with the date and a title,
 * the command, the machine, a two-column table of figures and optional notes below it; and the
 * number formats the figures share, so that the same kind of figure reads the same in every
 * section. A null figure reads "n/a".
 */
final class MarkdownTable {

    private static final DateTimeFormatter HEADING_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    MarkdownTable row(String name, String value) {
        rows.add(new String[] {name, value});
        return this;
    }

    /** A paragraph below the table. */
    MarkdownTable note(String text) {
        notes.add(text);
        return this;
    }

    String render(Instant date, String title, String command, String machine) {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(HEADING_DATE.format(date)).append(" — ").append(title).append("\n\n");
        out.append("Command: `").append(command).append("`\n\n");
        out.append("Machine: ").append(machine).append("\n\n");
        out.append("| Figure | Value |\n|---|---:|\n");
        for (String[] row : rows) {
            out.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n");
        }
        for (String note : notes) {
            out.append('\n').append(note).append('\n');
        }
        return out.toString();
    }

    static String integer(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String rate(Double jobsPerSecond) {
        return perSecond(jobsPerSecond, "jobs");
    }

    /** A rate of {@code unit}s per second, e.g. {@code 3,120 deliveries/s}; n/a for null. */
    static String perSecond(Double value, String unit) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%,.0f %s/s", value, unit);
    }

    /** Whether a figure reaches the bar (at least {@code bar}), as a suffix; nothing for no figure. */
    static String againstBar(Double value, double bar) {
        return value == null ? "" : value >= bar ? " (meets the bar)" : " (below the bar)";
    }

    static String millis(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%,.1f ms", value);
    }

    /** Milliseconds with their sign, for figures that may be negative (early) or positive (late). */
    static String signedMillis(double value) {
        return String.format(Locale.ROOT, "%+,.0f ms", value);
    }

    static String seconds(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%,.1f s", value);
    }

    static String cpu(Double millisPerJob) {
        return millisPerJob == null ? "n/a" : String.format(Locale.ROOT, "%.3f ms", millisPerJob);
    }

    static String percent(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.1f %%", value);
    }
}
