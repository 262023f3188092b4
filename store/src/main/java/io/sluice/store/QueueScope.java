package io.sluice.store;

import java.util.List;

/** The SQL of an API key's queue scope: a list of queue names, or null for every queue. */
final class QueueScope {

    private QueueScope() {
    }

    static void append(StringBuilder sql, List<Object> args, String column, List<String> scope) {
        if (scope != null) {
            sql.append(" AND ").append(column).append(" = ANY(?::text[])");
            args.add(scope.toArray(String[]::new));
        }
    }
}
