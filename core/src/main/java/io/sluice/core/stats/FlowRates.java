package io.sluice.core.stats;

/** Events per second, averaged over the last second, minute and hour. */
public record FlowRates(double lastSecond, double lastMinute, double lastHour) {

    public static final FlowRates NONE = new FlowRates(0, 0, 0);
}
