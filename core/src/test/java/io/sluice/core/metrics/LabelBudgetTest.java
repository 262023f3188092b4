package io.sluice.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelBudgetTest {

    @Test
    void theFirstValuesKeepTheirLabelAndLaterOnesShareOther() {
        LabelBudget budget = new LabelBudget(2);

        assertThat(budget.label("a")).isEqualTo("a");
        assertThat(budget.label("b")).isEqualTo("b");
        assertThat(budget.label("c")).isEqualTo(LabelBudget.OTHER);
        assertThat(budget.label("a")).isEqualTo("a");
        assertThat(budget.label("d")).isEqualTo(LabelBudget.OTHER);
    }
}
