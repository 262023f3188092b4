package io.sluice.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** How a {@link JobRecord} is read: its columns, in order, and the row mapper; shared by the stores that read jobs. */
final class JobRows {

    /** Stands for the table alias and its dot, or for nothing. */
    private static final String ALIAS = "{a}";

    private static final List<String> COLUMN_LIST = List.of(
            "id", "organization_id", "queue_name", "state", payload(ALIAS), "endpoint_id", "priority", "max_retries",
            "attempts", "retry_count", "timeout_seconds", "idempotency_key", "tags::text", "scheduled_at", "expires_at",
            "started_at", "completed_at", "next_attempt_at", "last_error", "created_at", "updated_at", "result::text",
            "assigned_worker_id", "lease_id", "lease_expires_at");

    /** The columns of {@code FROM jobs} without an alias. */
    static final String COLUMNS = COLUMN_LIST.stream().map(column -> column.replace(ALIAS, ""))
            .collect(Collectors.joining(", "));

    private JobRows() {
    }

    /** The columns qualified by a table alias, for queries that join jobs to a table sharing column names. */
    static String columns(String alias) {
        return COLUMN_LIST.stream()
                .map(column -> column.contains(ALIAS) ? column.replace(ALIAS, alias + ".") : alias + "." + column)
                .collect(Collectors.joining(", "));
    }

    /**
     * A job's payload as text: its own, or, for a message's delivery, the message's (stored
     * once for all of its deliveries).
     *
     * @param prefix the jobs table's alias and a dot ({@code "j."}), or {@code ""}
     */
    static String payload(String prefix) {
        return "coalesce(" + prefix + "payload, (SELECT m.payload FROM messages m WHERE m.id = " + prefix
                + "message_id))::text";
    }

    static JobRecord job(ResultSet rs, int row) throws SQLException {
        return new JobRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getObject(6, UUID.class), rs.getInt(7), rs.getInt(8),
                rs.getInt(9), rs.getInt(10), Rows.integer(rs, 11), rs.getString(12), rs.getString(13),
                Rows.instant(rs, 14), Rows.instant(rs, 15), Rows.instant(rs, 16), Rows.instant(rs, 17),
                Rows.instant(rs, 18), rs.getString(19), Rows.instant(rs, 20), Rows.instant(rs, 21), rs.getString(22),
                rs.getObject(23, UUID.class), rs.getObject(24, UUID.class), Rows.instant(rs, 25));
    }
}
