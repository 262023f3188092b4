package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryMetricsTest {

    /** As Sluice serves it at /actuator/prometheus (copied from a running Sluice: the tier label comes first). */
    private static final String SCRAPE = """
            # HELP sluice_retry_forwarded_total \s
            # TYPE sluice_retry_forwarded_total counter
            sluice_retry_forwarded_total 4283.0
            # TYPE sluice_retry_lateness_seconds summary
            sluice_retry_lateness_seconds{tier="1s",quantile="0.5"} 0.5
            sluice_retry_lateness_seconds{tier="5s",quantile="0.5"} 0.012582912
            sluice_retry_lateness_seconds{tier="5s",quantile="0.99"} 0.104857600
            sluice_retry_lateness_seconds_count{tier="5s"} 4283
            sluice_retry_lateness_seconds_sum{tier="5s"} 85.66
            # TYPE sluice_retry_lateness_seconds_max gauge
            sluice_retry_lateness_seconds_max{tier="5s"} 0.25
            sluice_worker_attempts_total 14283.0
            sluice_worker_dead_letters_total 0.0
            sluice_worker_retries_total 4283.0
            """;

    @Test
    void readsTheRetryFiguresOfOneTier() {
        RetryMetrics metrics = RetryMetrics.parse(SCRAPE, "5s");
        assertThat(metrics.latenessP50Seconds()).isEqualTo(0.012582912);
        assertThat(metrics.latenessP99Seconds()).isEqualTo(0.1048576);
        assertThat(metrics.latenessMaxSeconds()).isEqualTo(0.25);
        assertThat(metrics.latenessCount()).isEqualTo(4283);
        assertThat(metrics.latenessMeanSeconds()).isEqualTo(85.66 / 4283);
        assertThat(metrics.forwarded()).isEqualTo(4283);
        assertThat(metrics.deadLetters()).isZero();
        assertThat(metrics.attempts()).isEqualTo(14283);
    }

    @Test
    void aMissingMetricIsNullOrZeroAndPrefixesDoNotMatch() {
        RetryMetrics metrics = RetryMetrics.parse("sluice_retry_lateness_seconds_max_other 3\n", "5s");
        assertThat(metrics.latenessP99Seconds()).isNull();
        assertThat(metrics.latenessMaxSeconds()).isNull();
        assertThat(metrics.latenessMeanSeconds()).isNull();
        assertThat(metrics.forwarded()).isZero();
        assertThat(PrometheusText.value("a_total 1\na 2\n", "a")).hasValue(2);
        assertThat(PrometheusText.value("a NaN-ish\n", "a")).isEmpty();
        assertThat(PrometheusText.value("a NaN\n", "a")).isEmpty();
    }
}
