package io.sluice.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which broker errors the embedded mode keeps out of its log (on a real logback context). */
class RetriedAppendNoiseTest {

    private static final String REFUSED_FIRST_ARRIVAL = "Invalid sequence number for producer 0 at offset 2 in partition"
            + " sluice-live-stats-change-sets-seen-changelog-7: 1 (incoming seq. number). Expected sequence 0 for"
            + " transactions v2 idempotent producer with no existing state.";

    private final LoggerContext logging = new LoggerContext();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void logToAList() {
        RetriedAppendNoise filter = new RetriedAppendNoise();
        filter.start();
        logging.addTurboFilter(filter);
        logged.setContext(logging);
        logged.start();
        logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logged);
    }

    @Test
    void theBrokersRefusalOfABatchAheadOfItsTransactionsFirstIsLeftOut() {
        broker().error("Error processing append operation on partition x",
                new OutOfOrderSequenceException(REFUSED_FIRST_ARRIVAL));

        assertThat(logged.list).isEmpty();
    }

    @Test
    void everyOtherAppendErrorIsLogged() {
        broker().error("Error processing append operation on partition x", new OutOfOrderSequenceException(
                "Out of order sequence number for producer 7 at offset 548171 in partition t-0: 51 (incoming seq."
                        + " number), 49 (current end sequence number)"));
        broker().error("Error processing append operation on partition x", new IllegalStateException("disk full"));
        broker().error("an error without an exception");

        assertThat(logged.list).hasSize(3);
    }

    @Test
    void theSameWordsFromAnotherLoggerOrAtAnotherLevelAreLogged() {
        logging.getLogger("io.sluice.app.Anything").error("relayed", new OutOfOrderSequenceException(REFUSED_FIRST_ARRIVAL));
        broker().warn("retried", new OutOfOrderSequenceException(REFUSED_FIRST_ARRIVAL));

        assertThat(logged.list).hasSize(2);
    }

    private Logger broker() {
        return logging.getLogger(RetriedAppendNoise.BROKER_LOGGER);
    }
}
