package io.sluice.core.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether a schedule fires while the job of its previous run has not ended. */
public enum OverlapPolicy {
    /** Fire regardless (the default). */
    ALLOW,
    /** Skip the occurrence, recorded in the history as skipped. */
    SKIP_IF_RUNNING;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OverlapPolicy> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName().equals(name)).findFirst();
    }
}
