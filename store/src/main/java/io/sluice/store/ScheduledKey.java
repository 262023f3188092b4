package io.sluice.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A scheduled job's place in the order jobs are released in: by time, then by id. */
public record ScheduledKey(Instant scheduledAt, UUID jobId) {

    public ScheduledKey {
        Objects.requireNonNull(scheduledAt, "scheduledAt");
        Objects.requireNonNull(jobId, "jobId");
    }

    /** Binds the key to two parameters from {@code index}; nulls for none (an open end). */
    static void bind(PreparedStatement statement, int index, ScheduledKey key) throws SQLException {
        if (key == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setNull(index + 1, Types.OTHER);
        } else {
            statement.setTimestamp(index, Timestamp.from(key.scheduledAt()));
            statement.setObject(index + 1, key.jobId());
        }
    }
}
