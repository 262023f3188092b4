package io.sluice.worker;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The consumers of the worker's own loops (deliveries, retry tiers): offsets are committed by
 * hand through an {@link OffsetTracker}, never automatically, and a new group starts at the
 * earliest record so nothing published before it joined is skipped. A reader (of a compacted
 * topic read whole) has no group and commits nothing.
 */
final class ConsumerFactory {

    /** Records per poll: enough to keep thousands in flight, few enough to poll often. */
    private static final int MAX_POLL_RECORDS = 500;

    private ConsumerFactory() {
    }

    static KafkaConsumer<String, byte[]> create(KafkaProperties kafkaProperties, String groupId) {
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        return create(config);
    }

    static KafkaConsumer<String, byte[]> createReader(KafkaProperties kafkaProperties) {
        Map<String, Object> config = new HashMap<>(kafkaProperties.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return create(config);
    }

    private static KafkaConsumer<String, byte[]> create(Map<String, Object> config) {
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }
}
