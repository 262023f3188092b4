package io.sluice.store;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Small helpers for reading and writing nullable columns. */
final class Rows {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> TEXT_MAP = new TypeReference<>() {
    };

    private Rows() {
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /** A text[] column; NULL reads as empty. */
    static List<String> texts(ResultSet rs, int column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    /** A jsonb object of texts; NULL reads as empty. */
    static Map<String, String> textMap(ResultSet rs, int column) throws SQLException {
        String json = rs.getString(column);
        return json == null ? Map.of() : JSON.readValue(json, TEXT_MAP);
    }

    /** The jsonb text of a map of texts; null for an empty map. */
    static String textMapJson(Map<String, String> map) {
        return map.isEmpty() ? null : JSON.writeValueAsString(map);
    }
}
