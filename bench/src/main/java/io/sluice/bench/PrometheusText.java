package io.sluice.bench;

import java.util.OptionalDouble;

/**
 * Reads single samples from the Prometheus text format that Sluice serves at
 * {@code /actuator/prometheus}, e.g. {@code sluice_retry_lateness_seconds{quantile="0.99"} 0.012}.
 *
 * <p>Why by hand: the bench needs a handful of samples whose names and labels it knows exactly;
 * a client library for the whole format would be a dependency for a line scan.
 */
final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The value of the sample written exactly {@code sample} (name, and labels as Sluice prints
     * them); empty when there is none or its value is not a number ({@code NaN} included).
     */
    static OptionalDouble value(String text, String sample) {
        for (String line : text.split("\n")) {
            if (line.startsWith(sample) && line.length() > sample.length() && line.charAt(sample.length()) == ' ') {
                String[] rest = line.substring(sample.length()).strip().split("\\s+");
                try {
                    double value = Double.parseDouble(rest[0]);
                    return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
                } catch (NumberFormatException e) {
                    return OptionalDouble.empty();
                }
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * The value of the first sample of metric {@code name} whose labels include {@code label}
     * (written as Sluice prints it, e.g. {@code leg="change_to_kafka"}), whatever its other labels.
     */
    static OptionalDouble valueLabelled(String text, String name, String label) {
        for (String line : text.split("\n")) {
            int close = line.indexOf('}');
            if (line.startsWith(name + "{") && close > 0 && line.substring(0, close).contains(label)) {
                return value(line, line.substring(0, close + 1));
            }
        }
        return OptionalDouble.empty();
    }
}
