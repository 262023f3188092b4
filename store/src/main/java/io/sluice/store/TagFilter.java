package io.sluice.store;

import java.util.List;

/**
 * The {@code tag} filter of job lists: {@code name} matches jobs whose tags have that key (an
 * object) or element (an array); {@code name:value} also jobs whose tag {@code name} is
 * {@code value}.
 */
final class TagFilter {

    private TagFilter() {
    }

    /** Appends the condition on that tags column ({@code "tags"}, {@code "j.tags"}) and its arguments. */
    static void append(StringBuilder sql, List<Object> args, String column, String tag) {
        int colon = tag.indexOf(':');
        // jsonb_exists is the ? operator, which a JDBC statement cannot spell.
        sql.append(" AND (jsonb_exists(").append(column).append(", ?)");
        args.add(tag);
        if (colon > 0) {
            sql.append(" OR ").append(column).append(" @> jsonb_build_object(?::text, ?::text)");
            args.add(tag.substring(0, colon));
            args.add(tag.substring(colon + 1));
        }
        sql.append(")");
    }
}
