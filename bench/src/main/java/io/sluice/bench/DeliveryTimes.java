package io.sluice.bench;

import java.util.Arrays;

/**
 * Enqueue-to-delivery figures of one set of jobs: how many arrived, when the last one did, and the
 * latency percentiles, from the receiver's first-arrival times and the load generator's send times.
 *
 * @param delivered        jobs that arrived
 * @param lost             jobs that did not
 * @param lastArrivalNanos the latest first arrival ({@link System#nanoTime()}), or 0 when none arrived
 * @param p50Millis        median enqueue-to-delivery latency, null when none arrived
 * @param p99Millis        99th percentile
 * @param maxMillis        largest
 */
public record DeliveryTimes(int delivered, int lost, long lastArrivalNanos, Double p50Millis, Double p99Millis,
                            Double maxMillis) {

    /**
     * @param arrivalNanos per {@code seq}, its first arrival; 0 when it never arrived
     * @param sendNanos    per {@code seq}, when its bulk request was sent
     */
    public static DeliveryTimes of(long[] arrivalNanos, long[] sendNanos) {
        long[] latencies = new long[arrivalNanos.length];
        int delivered = 0;
        long lastArrival = 0;
        for (int seq = 0; seq < arrivalNanos.length; seq++) {
            if (arrivalNanos[seq] != 0) {
                latencies[delivered++] = arrivalNanos[seq] - sendNanos[seq];
                lastArrival = delivered == 1 ? arrivalNanos[seq] : Math.max(lastArrival, arrivalNanos[seq]);
            }
        }
        if (delivered == 0) {
            return new DeliveryTimes(0, arrivalNanos.length, 0, null, null, null);
        }
        Percentiles percentiles = Percentiles.of(Arrays.copyOf(latencies, delivered));
        return new DeliveryTimes(delivered, arrivalNanos.length - delivered, lastArrival,
                percentiles.percentile(50) / 1e6, percentiles.percentile(99) / 1e6, percentiles.max() / 1e6);
    }

    /** Jobs delivered per second from {@code firstSendNanos} to the last arrival; null unless all arrived. */
    public Double jobsPerSecond(long firstSendNanos) {
        return lost == 0 && delivered > 0 ? delivered / ((lastArrivalNanos - firstSendNanos) / 1e9) : null;
    }
}
