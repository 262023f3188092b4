package io.sluice.ingest.work;

import io.sluice.ingest.web.ApiException;
import java.time.Duration;
import java.util.Map;

/** How long a lease may be asked for: 5 s to an hour; absent or zero means the default, 30 s. */
final class LeaseDurations {

    static final int DEFAULT_SECS = 30;
    private static final int MIN_SECS = 5;
    private static final int MAX_SECS = 3600;

    private LeaseDurations() {
    }

    /** @param field the request field, named in the refusal */
    static Duration checked(Integer seconds, String field) {
        int secs = seconds == null || seconds == 0 ? DEFAULT_SECS : seconds;
        if (secs < MIN_SECS || secs > MAX_SECS) {
            throw ApiException.validation(field + " must be between " + MIN_SECS + " and " + MAX_SECS,
                    Map.of("field", field));
        }
        return Duration.ofSeconds(secs);
    }
}
