package io.sluice.core.job;

import java.util.regex.Pattern;

/** Queue names as the Spooled contract defines them. */
public final class QueueName {

    public static final int MAX_LENGTH = 100;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    private QueueName() {
    }

    /** @return null when valid, else the reason it is not */
    public static String problemWith(String name) {
        return problemWith(name, "Queue name");
    }

    /**
     * The same rule for the other names that become queue names or travel in lists (event
     * types, channels).
     *
     * @param label what the name is, e.g. {@code "event_type"}
     * @return null when valid, else the reason it is not
     */
    public static String problemWith(String name, String label) {
        if (name == null || name.isEmpty()) {
            return label + " is required";
        }
        if (name.length() > MAX_LENGTH) {
            return label + " must be at most " + MAX_LENGTH + " characters";
        }
        if (!VALID.matcher(name).matches()) {
            return label + " must be alphanumeric (with _ . -) and not start with . or -";
        }
        return null;
    }
}
