package io.sluice.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cron expression: five fields (minute, hour, day of month, month, day of week) or six with
 * leading seconds, as crontab writes them: names ({@code MON}, {@code JAN}), ranges with steps,
 * {@code L}, {@code W}, {@code #}, {@code ?}, day 0 or 7 for Sunday. Unlike crontab, when both
 * days are restricted a day must match both (as in Quartz: it is what makes {@code 5L} and
 * {@code MON#2} combine with a day of month). Five fields also take {@code @hourly}, {@code @daily},
 * {@code @weekly}, {@code @monthly}, {@code @yearly}.
 *
 * <p>Occurrences are local times of a time zone. A local time the clocks jump over (spring
 * forward) does not happen, so it does not fire; one they pass twice (fall back) fires the
 * first time only.
 */
public final class CronExpression {

    private static final CronParser FIVE_FIELDS = new CronParser(definition(false));
    private static final CronParser SIX_FIELDS = new CronParser(definition(true));
    /** A loop guard: more skipped candidates in a row than any zone's transitions can make. */
    private static final int MAX_SKIPPED = 100;

    /** Bounds {@link #recent}: cleared when it grows past this. */
    private static final int MAX_RECENT = 64;

    private final String text;
    private final ExecutionTime times;
    /**
     * Occurrences recently computed, by the time after which and the zone. Thousands of
     * schedules of one expression fire at the same time and ask for the same next one; the
     * library took about 0.1 ms to find it each time (10,000 schedules: a second of CPU).
     */
    private final Map<Occurrence, Optional<Instant>> recent = new ConcurrentHashMap<>();

    private record Occurrence(Instant after, ZoneId zone) {
    }

    private CronExpression(String text, ExecutionTime times) {
        this.text = text;
        this.times = times;
    }

    /**
     * @param text five or six fields, kept exactly as given
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static CronExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a cron expression is required");
        }
        String trimmed = text.strip();
        int fields = trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6 && !trimmed.startsWith("@")) {
            throw new IllegalArgumentException(
                    "a cron expression has 5 fields, or 6 with leading seconds, not " + fields);
        }
        Cron cron;
        try {
            cron = (fields == 6 ? SIX_FIELDS : FIVE_FIELDS).parse(trimmed);
            cron.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cron expression: " + e.getMessage(), e);
        }
        ExecutionTime times = ExecutionTime.forCron(cron);
        if (times.nextExecution(ZonedDateTime.now(ZoneId.of("UTC"))).isEmpty()) {
            throw new IllegalArgumentException("the cron expression never fires: " + trimmed);
        }
        return new CronExpression(text, times);
    }

    public String text() {
        return text;
    }

    /**
     * The first occurrence after {@code after} in {@code zone}; empty when there is none. A
     * candidate is skipped when its local time is not later than {@code after}'s (the clocks
     * fell back over it) or does not match the expression (the library moved a skipped local
     * time forward).
     */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        Occurrence asked = new Occurrence(after, zone);
        Optional<Instant> known = recent.get(asked);
        if (known != null) {
            return known;
        }
        if (recent.size() >= MAX_RECENT) {
            recent.clear();
        }
        Optional<Instant> next = computeNextAfter(after, zone);
        recent.put(asked, next);
        return next;
    }

    private Optional<Instant> computeNextAfter(Instant after, ZoneId zone) {
        // The library keeps the fraction of a second it starts from; occurrences are whole seconds.
        ZonedDateTime from = after.atZone(zone).truncatedTo(ChronoUnit.SECONDS);
        LocalDateTime previous = from.toLocalDateTime();
        for (int skipped = 0; skipped < MAX_SKIPPED; skipped++) {
            Optional<ZonedDateTime> next = times.nextExecution(from);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            ZonedDateTime candidate = next.get();
            if (candidate.toLocalDateTime().isAfter(previous) && times.isMatch(candidate)) {
                return Optional.of(candidate.toInstant());
            }
            from = candidate;
        }
        return Optional.empty();
    }

    private static CronDefinition definition(boolean seconds) {
        CronDefinitionBuilder builder = CronDefinitionBuilder.defineCron();
        if (seconds) {
            builder = builder.withSeconds().withStrictRange().and();
        }
        builder = builder
                .withMinutes().withStrictRange().and()
                .withHours().withStrictRange().and()
                .withDayOfMonth().supportsL().supportsW().supportsLW().supportsQuestionMark().withStrictRange().and()
                .withMonth().withStrictRange().and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0)
                .supportsHash().supportsL().supportsQuestionMark().withStrictRange().and();
        if (!seconds) {
            builder = builder.withSupportedNicknameHourly().withSupportedNicknameDaily().withSupportedNicknameMidnight()
                    .withSupportedNicknameWeekly().withSupportedNicknameMonthly().withSupportedNicknameYearly()
                    .withSupportedNicknameAnnually();
        }
        return builder.instance();
    }

    @Override
    public String toString() {
        return text;
    }
}
