package io.sluice.core.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the jobs of a workflow request form a DAG: keys present and unique, every dependency
 * naming a key of the workflow, no job depending on itself, no cycle. Pure: the store writes a
 * workflow only once this said {@link Valid}.
 */
public final class WorkflowGraph {

    /** The most jobs one workflow may hold. */
    public static final int MAX_JOBS = 100;

    /** A job of the request: its key and the keys it depends on. */
    public record Node(String key, List<String> dependsOn) {
        public Node {
            // Kept as given, nulls included: check() reports a null dependency as an unknown key.
            dependsOn = dependsOn == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dependsOn));
        }
    }

    /** What the check found. */
    public sealed interface Check {
    }

    /** A DAG; {@code order} lists the keys so that every job comes after its dependencies. */
    public record Valid(List<String> order) implements Check {
    }

    /** Not a DAG, or not well formed; {@code field} points into the request ({@code jobs[2].depends_on}). */
    public record Invalid(String field, String message) implements Check {
    }

    private WorkflowGraph() {
    }

    public static Check check(List<Node> nodes) {
        if (nodes == null || nodes.isEmpty() || nodes.size() > MAX_JOBS) {
            return new Invalid("jobs", "a workflow has 1 to " + MAX_JOBS + " jobs");
        }
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            String key = nodes.get(i).key();
            if (key == null || key.isBlank()) {
                return new Invalid("jobs[" + i + "].key", "every job needs a key");
            }
            Integer earlier = indexOf.putIfAbsent(key, i);
            if (earlier != null) {
                return new Invalid("jobs[" + i + "].key",
                        "key '" + key + "' is used by jobs[" + earlier + "] and jobs[" + i + "]");
            }
        }
        Map<String, Set<String>> dependencies = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            Set<String> unique = new LinkedHashSet<>();
            for (String dependency : node.dependsOn()) {
                if (dependency == null || !indexOf.containsKey(dependency)) {
                    return new Invalid("jobs[" + i + "].depends_on",
                            "'" + dependency + "' is not the key of a job of this workflow");
                }
                if (dependency.equals(node.key())) {
                    return new Invalid("jobs[" + i + "].depends_on", "job '" + node.key() + "' depends on itself");
                }
                unique.add(dependency);
            }
            dependencies.put(node.key(), unique);
        }
        return order(dependencies);
    }

    /** Kahn's algorithm in request order; what is left over lies on or behind a cycle, which is then named. */
    private static Check order(Map<String, Set<String>> dependencies) {
        Map<String, Integer> waitingOn = new HashMap<>();
        Map<String, List<String>> dependants = new HashMap<>();
        dependencies.forEach((key, deps) -> {
            waitingOn.put(key, deps.size());
            deps.forEach(dep -> dependants.computeIfAbsent(dep, k -> new ArrayList<>()).add(key));
        });
        Deque<String> ready = new ArrayDeque<>();
        dependencies.keySet().stream().filter(key -> waitingOn.get(key) == 0).forEach(ready::add);
        List<String> order = new ArrayList<>(dependencies.size());
        while (!ready.isEmpty()) {
            String key = ready.poll();
            order.add(key);
            for (String dependant : dependants.getOrDefault(key, List.of())) {
                if (waitingOn.merge(dependant, -1, Integer::sum) == 0) {
                    ready.add(dependant);
                }
            }
        }
        if (order.size() == dependencies.size()) {
            return new Valid(List.copyOf(order));
        }
        return new Invalid("jobs", "the dependencies form a cycle (each job waits for the next): " + String.join(" -> ", cycle(dependencies, order)));
    }

    /** One cycle among the keys not ordered, as a path that ends where it starts. */
    private static List<String> cycle(Map<String, Set<String>> dependencies, List<String> ordered) {
        Set<String> done = new LinkedHashSet<>(ordered);
        String start = dependencies.keySet().stream().filter(key -> !done.contains(key)).findFirst().orElseThrow();
        // Every unordered key waits on an unordered key, so following those must come back round.
        List<String> path = new ArrayList<>();
        Map<String, Integer> seenAt = new HashMap<>();
        String key = start;
        while (!seenAt.containsKey(key)) {
            seenAt.put(key, path.size());
            path.add(key);
            key = dependencies.get(key).stream().filter(dep -> !done.contains(dep)).findFirst().orElseThrow();
        }
        List<String> cycle = new ArrayList<>(path.subList(seenAt.get(key), path.size()));
        cycle.add(key);
        return cycle;
    }
}
