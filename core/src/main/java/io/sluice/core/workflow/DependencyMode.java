package io.sluice.core.workflow;

import java.util.Locale;
import java.util.Optional;

/** How a job waits for its dependencies. */
public enum DependencyMode {
    /** Runs when every dependency completed; cancelled as soon as one ends otherwise. */
    ALL,
    /** Runs when one dependency completed; cancelled once none of them can. */
    ANY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a request named; empty for a name that is not one. */
    public static Optional<DependencyMode> fromWireName(String name) {
        for (DependencyMode mode : values()) {
            if (mode.wireName().equals(name)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
