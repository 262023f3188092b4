package io.sluice.app.embedded;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps one expected refusal of the embedded broker out of the log. With transactions v2
 * (Kafka 4.1, KAFKA-18202), a transaction's second batch to a partition that reaches the broker
 * before its first is refused with a retriable out-of-order-sequence error, and the producer
 * sends both again. The broker logs each refusal as an ERROR with its stack trace: 59 in one
 * ingest benchmark run, from the live stats' transactions under load, none of them a fault.
 * Every other append error, and this one in any other words, is logged as before; the producer
 * still logs its retry as a WARN.
 */
final class RetriedAppendNoise extends TurboFilter {

    static final String BROKER_LOGGER = "kafka.server.ReplicaManager";
    /** The broker's words for the first batch of a transaction's partition not having arrived yet. */
    static final String NOT_YET_ARRIVED = "for transactions v2 idempotent producer with no existing state";

    /** Adds the filter to the application's logback, if logback is what logs. */
    static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            RetriedAppendNoise filter = new RetriedAppendNoise();
            filter.setName("sluice-retried-append-noise");
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return level == Level.ERROR && t instanceof OutOfOrderSequenceException
                && BROKER_LOGGER.equals(logger.getName())
                && t.getMessage() != null && t.getMessage().contains(NOT_YET_ARRIVED)
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
