package io.sluice.core.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * The keys that sign an endpoint's deliveries, in their text forms: its current key and,
 * until {@code previousUntil}, the key a rotation replaced, so that receivers can switch to
 * the new key at any time within that grace period.
 *
 * @param previous      the replaced key; null when there is none
 * @param previousUntil when the replaced key stops signing; null exactly when there is none
 */
public record SigningKeys(String current, String previous, Instant previousUntil) {

    public SigningKeys {
        Objects.requireNonNull(current, "current");
        if ((previous == null) != (previousUntil == null)) {
            throw new IllegalArgumentException("a previous key needs the end of its grace period, and only it");
        }
    }

    public static SigningKeys of(String current) {
        return new SigningKeys(current, null, null);
    }

    /**
     * After a rotation to {@code next}: the current key keeps signing until {@code graceEnd}. A
     * key that was still in its own grace period stops signing at once, so that at most two
     * keys sign at a time.
     */
    public SigningKeys rotatedTo(String next, Instant graceEnd) {
        return new SigningKeys(next, current, graceEnd);
    }

    public boolean previousSignsAt(Instant now) {
        return previous != null && now.isBefore(previousUntil);
    }

    @Override
    public String toString() {
        // Never print a key.
        return "SigningKeys[previousUntil=" + previousUntil + "]";
    }
}
