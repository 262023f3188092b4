package io.sluice.worker;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group loop whose records finish out of order: offsets are committed through an
 * {@link OffsetTracker}, asynchronously every {@code commitInterval}, synchronously when
 * partitions are revoked and when the loop ends. A partition revoked or lost is released:
 * whatever the loop holds for it is forgotten, its new owner reads it again.
 */
abstract class GroupConsumerLoop extends ConsumerLoop {

    private static final Logger log = LoggerFactory.getLogger(GroupConsumerLoop.class);

    final OffsetTracker offsets = new OffsetTracker();
    private final Duration commitInterval;

    /** @param meters where the consumer's metrics go: its records lag per partition is the group's lag */
    GroupConsumerLoop(String threadName, boolean enabled, Duration stopTimeout, Duration commitInterval,
                      MeterRegistry meters) {
        super(threadName, enabled, stopTimeout, meters);
        this.commitInterval = commitInterval;
    }

    abstract Collection<String> topicsToRead();

    /** One turn of the loop: poll and hand out what was read. */
    abstract void turn(KafkaConsumer<String, byte[]> consumer);

    /** Forgets what is held for partitions this consumer no longer owns. */
    void release(Collection<TopicPartition> partitions) {
        offsets.forget(partitions);
    }

    /** Called once the loop ended, before the final commit (to let work in flight finish, say). */
    void finish(KafkaConsumer<String, byte[]> consumer) {
    }

    @Override
    final void run(KafkaConsumer<String, byte[]> c) {
        c.subscribe(topicsToRead(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                offsets.commitSync(c);
                release(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        });
        long lastCommit = System.nanoTime();
        while (isRunning()) {
            try {
                turn(c);
                if (System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
                    offsets.commitAsync(c);
                    lastCommit = System.nanoTime();
                }
            } catch (WakeupException e) {
                // stop() woke the poll
            } catch (Throwable t) {
                log.error("{} loop error; continuing", getClass().getSimpleName(), t);
            }
        }
        finish(c);
        offsets.commitSync(c);
    }
}
