package io.sluice.store;

import java.util.List;

/**
 * A batch of change rows claimed and deleted inside a transaction, handed to Kafka before the
 * transaction commits: the rows are gone only if every record was acknowledged.
 */
public final class ClaimedBatch {

    /** Publishes a claimed batch; returns only when every record is acknowledged, or throws. */
    @FunctionalInterface
    public interface Publisher<T> {
        void publish(List<T> batch) throws Exception;
    }

    private ClaimedBatch() {
    }

    /** @return the batch's size, once published; a failure rolls the claiming transaction back */
    static <T> int publish(List<T> batch, Publisher<T> publisher) {
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            publisher.publish(batch);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new OutboxStore.PublishFailedException(e);
        }
        return batch.size();
    }
}
