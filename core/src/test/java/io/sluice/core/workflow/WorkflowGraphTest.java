package io.sluice.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.workflow.WorkflowGraph.Invalid;
import io.sluice.core.workflow.WorkflowGraph.Node;
import io.sluice.core.workflow.WorkflowGraph.Valid;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowGraphTest {

    private static Node node(String key, String... dependsOn) {
        return new Node(key, List.of(dependsOn));
    }

    @Test
    void aDiamondIsOrderedSoThatEveryJobComesAfterItsDependencies() {
        var check = WorkflowGraph.check(List.of(node("d", "b", "c"), node("b", "a"), node("c", "a"), node("a")));

        assertThat(check).isInstanceOf(Valid.class);
        List<String> order = ((Valid) check).order();
        assertThat(order).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(order.indexOf("a")).isLessThan(order.indexOf("b")).isLessThan(order.indexOf("d"));
        assertThat(order.indexOf("c")).isLessThan(order.indexOf("d"));
    }

    @Test
    void aCycleIsRefusedAndNamed() {
        var check = WorkflowGraph.check(List.of(node("a"), node("b", "a", "d"), node("c", "b"), node("d", "c")));

        assertThat(check).isEqualTo(new Invalid("jobs",
                "the dependencies form a cycle (each job waits for the next): b -> d -> c -> b"));
    }

    @Test
    void aJobDependingOnItselfIsRefused() {
        assertThat(WorkflowGraph.check(List.of(node("a", "a"))))
                .isEqualTo(new Invalid("jobs[0].depends_on", "job 'a' depends on itself"));
    }

    @Test
    void unknownAndDuplicateKeysAreRefusedWithTheFieldThatIsWrong() {
        assertThat(WorkflowGraph.check(List.of(node("a"), node("b", "x"))))
                .isEqualTo(new Invalid("jobs[1].depends_on", "'x' is not the key of a job of this workflow"));
        assertThat(WorkflowGraph.check(List.of(node("a"), node("b"), node("a"))))
                .isEqualTo(new Invalid("jobs[2].key", "key 'a' is used by jobs[0] and jobs[2]"));
        assertThat(WorkflowGraph.check(List.of(node(" "))))
                .isEqualTo(new Invalid("jobs[0].key", "every job needs a key"));
        assertThat(WorkflowGraph.check(List.of(node("a"), new Node("b", java.util.Arrays.asList("a", null)))))
                .isEqualTo(new Invalid("jobs[1].depends_on", "'null' is not the key of a job of this workflow"));
    }

    @Test
    void aWorkflowHoldsOneToAHundredJobs() {
        List<Node> hundred = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hundred.add(i == 0 ? node("j0") : node("j" + i, "j" + (i - 1)));
        }
        assertThat(WorkflowGraph.check(hundred)).isInstanceOf(Valid.class);
        hundred.add(node("j100"));
        assertThat(WorkflowGraph.check(hundred)).isInstanceOf(Invalid.class);
        assertThat(WorkflowGraph.check(List.of())).isInstanceOf(Invalid.class);
    }

    @Test
    void aDependencyNamedTwiceCountsOnce() {
        assertThat(WorkflowGraph.check(List.of(node("a"), node("b", "a", "a")))).isEqualTo(new Valid(List.of("a", "b")));
    }
}
