package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String TEXT = """
            # HELP sluice_live_lag_seconds Time a job state change takes to reach the realtime feed, by leg
            sluice_live_lag_seconds_count{application="sluice",leg="change_to_kafka"} 120
            sluice_live_lag_seconds_sum{application="sluice",leg="change_to_kafka"} 6.5
            sluice_live_lag_seconds_sum{application="sluice",leg="kafka_to_feed"} 1.25
            sluice_live_lag_seconds_max{application="sluice",leg="kafka_to_feed"} NaN
            """;

    @Test
    void aLabelledSampleIsFoundWhateverItsOtherLabels() {
        assertThat(PrometheusText.valueLabelled(TEXT, "sluice_live_lag_seconds_sum", "leg=\"kafka_to_feed\""))
                .hasValue(1.25);
        assertThat(PrometheusText.valueLabelled(TEXT, "sluice_live_lag_seconds_count", "leg=\"change_to_kafka\""))
                .hasValue(120);
        assertThat(PrometheusText.valueLabelled(TEXT, "sluice_live_lag_seconds_max", "leg=\"kafka_to_feed\""))
                .isEmpty();
        assertThat(PrometheusText.valueLabelled(TEXT, "sluice_live_lag_seconds", "leg=\"kafka_to_feed\"")).isEmpty();
    }
}
