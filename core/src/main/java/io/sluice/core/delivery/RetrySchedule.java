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
                throw new IllegalArgumentException("retry delay " + delay + " is not one of the tiers " + tiers);
            }
        }
    }

    /** Parses comma-separated durations such as {@code 5s,5m,2h,1d} (units ms, s, m, h, d). */
    public static RetrySchedule parse(String tiers, String delays) {
        return new RetrySchedule(durations(tiers), durations(delays));
    }

    /** The delay before attempt {@code attempt + 1}, or none when the schedule has no more. */
    public Optional<Duration> delayAfter(int attempt) {
        return attempt >= 1 && attempt <= delays.size()
                ? Optional.of(delays.get(attempt - 1)) : Optional.empty();
    }

    /** The smallest tier at least {@code delay} long, or the longest tier. */
    public Duration tierFor(Duration delay) {
        for (Duration tier : tiers) {
            if (tier.compareTo(delay) >= 0) {
                return tier;
            }
        }
        return tiers.getLast();
    }

    static List<Duration> durations(String text) {
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
