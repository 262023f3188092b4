package io.sluice.core.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * When failed attempts are tried again: the delay before the second attempt, the third, and
 * so on. The first attempt is immediate. Every delay is one of the retry tiers (one Kafka
 * topic each), so a tier's records all wait about equally long and its head is always the
 * one due first.
 *
 * @param tiers  the available delays, ascending, without duplicates
 * @param delays the schedule, each a tier
 */
public record RetrySchedule(List<Duration> tiers, List<Duration> delays) {

    /** Standard Webhooks' example schedule: ten attempts over about three days. */
    public static final String DEFAULT_TIERS = "5s,5m,30m,2h,5h,10h,14h,20h,24h";
    public static final String DEFAULT_DELAYS = DEFAULT_TIERS;

    public RetrySchedule {
        tiers = List.copyOf(new TreeSet<>(tiers));
        delays = List.copyOf(delays);
        if (tiers.isEmpty() || tiers.getFirst().isNegative() || tiers.getFirst().isZero()) {
            throw new IllegalArgumentException("retry tiers must be positive durations, at least one");
        }
        for (Duration delay : delays) {
            if (!tiers.contains(delay)) {
                throw new IllegalArgumentException("retry delay " + label(delay) + " is not one of the tiers " + labels(tiers));
            }
        }
    }

    /** Parses comma-separated durations such as {@code 5s,5m,2h,1d} (units ms, s, m, h, d). */
    public static RetrySchedule parse(String tiers, String delays) {
        return new RetrySchedule(durations(tiers), durations(delays));
    }

    /**
     * The same tiers with other delays: an endpoint's own schedule.
     *
     * @throws IllegalArgumentException when a delay is not one of the tiers
     */
    public RetrySchedule withDelays(List<Duration> otherDelays) {
        return new RetrySchedule(tiers, otherDelays);
    }

    /** Durations as {@link #label}s, comma-separated: the form {@link #durations} reads. */
    public static String labels(List<Duration> durations) {
        return String.join(",", durations.stream().map(RetrySchedule::label).toList());
    }

    /**
     * The delay before attempt {@code attempt + 1}. Past the end of the schedule its last
     * delay repeats, so a job's {@code max_retries} above the schedule's length is honoured;
     * empty when the schedule has no delays at all.
     */
    public Optional<Duration> delayAfter(int attempt) {
        if (attempt < 1 || delays.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(delays.get(Math.min(attempt, delays.size()) - 1));
    }

    /** Retries the schedule spells out: the default {@code max_retries} of a webhook job. */
    public int retries() {
        return delays.size();
    }

    /**
     * The longest tier not longer than {@code delay} (the shortest when all are longer). A
     * record never waits in a tier longer than it should: the tier consumer may read it
     * early and holds it until its own due time, but must never find it already overdue
     * because the tier was slower than the wait.
     */
    public Duration tierFor(Duration delay) {
        Duration chosen = tiers.getFirst();
        for (Duration tier : tiers) {
            if (tier.compareTo(delay) <= 0) {
                chosen = tier;
            }
        }
        return chosen;
    }

    /** The longest delay of the schedule, or the longest tier when the schedule is empty. */
    public Duration longest() {
        return delays.stream().max(Duration::compareTo).orElse(tiers.getLast());
    }

    /** A tier's short name, as in topic names: {@code 500ms}, {@code 5s}, {@code 30m}, {@code 24h}. */
    public static String label(Duration tier) {
        long ms = tier.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** Comma-separated durations such as {@code 5s,5m,2h,1d} (units ms, s, m, h, d). */
    public static List<Duration> durations(String text) {
        List<Duration> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.strip().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                continue;
            }
            out.add(duration(item));
        }
        return out;
    }

    private static Duration duration(String item) {
        int split = 0;
        while (split < item.length() && Character.isDigit(item.charAt(split))) {
            split++;
        }
        if (split == 0 || split == item.length()) {
            throw new IllegalArgumentException("not a duration: '" + item + "' (use e.g. 500ms, 5s, 5m, 2h, 1d)");
        }
        long amount = Long.parseLong(item.substring(0, split));
        return switch (item.substring(split)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unknown unit in '" + item + "' (use ms, s, m, h or d)");
        };
    }
}
