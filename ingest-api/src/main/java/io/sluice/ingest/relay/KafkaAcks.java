package io.sluice.ingest.relay;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A relay waits for Kafka to acknowledge all it sent before its database transaction commits. */
final class KafkaAcks {

    private KafkaAcks() {
    }

    /** Returns once every send is acknowledged; throws when one failed, or after {@code timeout}. */
    static void awaitAll(List<? extends CompletableFuture<?>> acks, Duration timeout) throws Exception {
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
