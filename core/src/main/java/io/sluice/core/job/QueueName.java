package io.sluice.core.job;


/** Queue names as the Spooled contract defines them. */
public final class QueueName {

    public static final int MAX_LENGTH = 100;

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
        if (!isValid(name)) {
            return label + " must be alphanumeric (with _ . -) and not start with . or -";
        }
        return null;
    }

    /**
     * {@code [A-Za-z0-9_][A-Za-z0-9_.-]*} (the length is checked apart), by hand: every job's
     * queue name is checked, and a regex took longer than the rest of accepting a job.
     */
    private static boolean isValid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean word = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
            if (!word && (i == 0 || c != '.' && c != '-')) {
                return false;
            }
        }
        return true;
    }
}
