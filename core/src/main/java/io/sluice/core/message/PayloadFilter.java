package io.sluice.core.message;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Which payloads an endpoint wants, in a small operator language on JSON paths:
 *
 * <pre>
 * {"type": "invoice"}                          the value at "type" equals "invoice" ($eq implied)
 * {"amount": {"$gt": 100, "$lt": 1000}}        numbers; all conditions on a path must hold
 * {"customer.country": {"$in": ["DE", "FR"]}}  dotted paths into objects, numbers index arrays
 * {"status": {"$neq": "test"}}                 true also when "status" is absent
 * {"coupon": {"$exists": false}}
 * {"$or": [{...}, {...}]}, {"$and": [...]}     several keys in one object are an $and too
 * </pre>
 *
 * A filter is parsed once ({@link #parse}) into a tree of {@link Condition}s and then only
 * evaluated, so a message can be matched against many endpoints cheaply.
 */
public sealed interface PayloadFilter {

    int MAX_DEPTH = 8;

    boolean matches(JsonNode payload);

    /** Every filter holds. */
    record All(List<PayloadFilter> filters) implements PayloadFilter {
        @Override
        public boolean matches(JsonNode payload) {
            return filters.stream().allMatch(f -> f.matches(payload));
        }
    }

    /** At least one filter holds. */
    record AnyOf(List<PayloadFilter> filters) implements PayloadFilter {
        @Override
        public boolean matches(JsonNode payload) {
            return filters.stream().anyMatch(f -> f.matches(payload));
        }
    }

    /** The value at {@code path} (null when absent) satisfies {@code condition}. */
    record AtPath(List<String> path, Condition condition) implements PayloadFilter {
        @Override
        public boolean matches(JsonNode payload) {
            JsonNode node = payload;
            for (String step : path) {
                if (node == null) {
                    break;
                }
                node = node.isArray() && isIndex(step) ? node.get(Integer.parseInt(step)) : node.get(step);
            }
            return condition.holds(node == null || node.isMissingNode() ? null : node);
        }

        private static boolean isIndex(String step) {
            return !step.isEmpty() && step.length() < 10 && step.chars().allMatch(Character::isDigit);
        }
    }

    /** A test of one value; {@code value} is null when the path leads nowhere. */
    sealed interface Condition {
        boolean holds(JsonNode value);
    }

    record Eq(JsonNode expected) implements Condition {
        @Override
        public boolean holds(JsonNode value) {
            return value != null && sameValue(value, expected);
        }
    }

    record Neq(JsonNode expected) implements Condition {
        @Override
        public boolean holds(JsonNode value) {
            return value == null || !sameValue(value, expected);
        }
    }

    record In(List<JsonNode> candidates) implements Condition {
        @Override
        public boolean holds(JsonNode value) {
            return value != null && candidates.stream().anyMatch(c -> sameValue(value, c));
        }
    }

    record Exists(boolean wanted) implements Condition {
        @Override
        public boolean holds(JsonNode value) {
            return (value != null) == wanted;
        }
    }

    /** $gt ({@code above}) or $lt (not {@code above}) a number; a value that is not a number never holds. */
    record Compare(double bound, boolean above) implements Condition {
        @Override
        public boolean holds(JsonNode value) {
            if (value == null || !value.isNumber()) {
                return false;
            }
            double v = value.asDouble();
            return above ? v > bound : v < bound;
        }
    }

    /** Every condition on one path holds. */
    record Both(List<Condition> conditions) implements Condition {
        @Override
        public boolean holds(JsonNode value) {
            return conditions.stream().allMatch(c -> c.holds(value));
        }
    }

    /** Numbers compare by value (1 equals 1.0); everything else by JSON equality. */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, for a filter that is not an object
     *                                  of the language above
     */
    static PayloadFilter parse(JsonNode filter) {
        return parse(filter, 0);
    }

    private static PayloadFilter parse(JsonNode filter, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("payload filter nests deeper than " + MAX_DEPTH + " levels");
        }
        if (filter == null || !filter.isObject() || filter.isEmpty()) {
            throw new IllegalArgumentException("a payload filter is a non-empty JSON object");
        }
        List<PayloadFilter> all = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : filter.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            switch (key) {
                case "$and", "$or" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        throw new IllegalArgumentException(key + " takes a non-empty array of filters");
                    }
                    List<PayloadFilter> parts = new ArrayList<>();
                    for (JsonNode part : value) {
                        parts.add(parse(part, depth + 1));
                    }
                    all.add(key.equals("$and") ? new All(List.copyOf(parts)) : new AnyOf(List.copyOf(parts)));
                }
                default -> {
                    if (key.startsWith("$")) {
                        throw new IllegalArgumentException("unknown operator " + key + " (use $and or $or here)");
                    }
                    if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
                        throw new IllegalArgumentException("'" + key + "' is not a path like a.b.c");
                    }
                    all.add(new AtPath(List.of(key.split("\\.")), condition(key, value)));
                }
            }
        }
        return all.size() == 1 ? all.getFirst() : new All(List.copyOf(all));
    }

    private static Condition condition(String path, JsonNode spec) {
        boolean operators = spec.isObject() && !spec.isEmpty()
                && spec.propertyNames().stream().allMatch(name -> name.startsWith("$"));
        if (!operators) {
            return new Eq(spec);
        }
        List<Condition> conditions = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> ops = spec.properties().iterator();
        while (ops.hasNext()) {
            Map.Entry<String, JsonNode> op = ops.next();
            JsonNode operand = op.getValue();
            conditions.add(switch (op.getKey()) {
                case "$eq" -> new Eq(operand);
                case "$neq" -> new Neq(operand);
                case "$in" -> {
                    if (!operand.isArray()) {
                        throw new IllegalArgumentException(path + ": $in takes an array");
                    }
                    List<JsonNode> candidates = new ArrayList<>();
                    operand.forEach(candidates::add);
                    yield new In(List.copyOf(candidates));
                }
                case "$exists" -> {
                    if (!operand.isBoolean()) {
                        throw new IllegalArgumentException(path + ": $exists takes true or false");
                    }
                    yield new Exists(operand.asBoolean());
                }
                case "$gt", "$lt" -> {
                    if (!operand.isNumber()) {
                        throw new IllegalArgumentException(path + ": " + op.getKey() + " takes a number");
                    }
                    yield new Compare(operand.asDouble(), op.getKey().equals("$gt"));
                }
                default -> throw new IllegalArgumentException(path + ": unknown operator " + op.getKey()
                        + " (known: $eq, $neq, $in, $exists, $gt, $lt)");
            });
        }
        return conditions.size() == 1 ? conditions.getFirst() : new Both(List.copyOf(conditions));
    }
}
