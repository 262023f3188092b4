package io.sluice.core.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a schedule does with occurrences it missed (Sluice was down, or the schedule lagged). */
public enum MisfirePolicy {
    /** Fire once now for all of them (the default). */
    SKIP,
    /** Fire each of them, oldest first, up to the catch-up limit. */
    CATCH_UP,
    /** Fire none of them; wait for the next occurrence. */
    NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MisfirePolicy> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
    }
}
