package io.sluice.topology.stats;

import io.sluice.core.kafka.Topics;
import io.sluice.core.stats.ScopeStats;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.KStream;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/**
 * Runs the stats topology ({@link StatsTopology}) under Spring's lifecycle. Exactly-once
 * processing: a node that crashes mid-batch neither loses nor double-counts a move, as the
 * standings, the counts and the output commit together.
 */
@Configuration
@EnableConfigurationProperties(TopologyProperties.class)
@ConditionalOnProperty(name = "sluice.topology.enabled", havingValue = "true", matchIfMissing = true)
public class StatsStreamsConfiguration {

    @Bean
    StreamsBuilderFactoryBean statsStreams(KafkaProperties kafka, TopologyProperties properties, Topics topics,
                                           Environment environment, MeterRegistry meters) {
        Map<String, Object> config = kafka.buildStreamsProperties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(properties, environment));
        config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, properties.standbyReplicas());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.replicationFactor());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, properties.threads());
        // The counts go out once per commit interval, so the events may as well come in larger
        // fetches: a fetch answered at the first new record costs the broker a request, and this
        // thread a poll, for a handful of events while jobs stream in.
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), 64 * 1024);
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
        StreamsBuilderFactoryBean factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(config)) {
            /**
             * Spring's test context cache pauses (stops) contexts not in use and restarts them later;
             * a Kafka Streams instance restarted that way can find its state directory still locked.
             */
            @Override
            public boolean isPauseable() {
                return false;
            }
        };
        // A failed thread is replaced; its tasks resume from their last commit.
        factory.setStreamsUncaughtExceptionHandler(
                failure -> StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
        factory.addListener(new KafkaStreamsMicrometerListener(meters));
        return factory;
    }

    /** The topology itself, added to the builder before the factory starts it. */
    @Bean
    KStream<String, ScopeStats> statsLines(StreamsBuilder statsStreams, Topics topics, TopologyProperties properties) {
        return StatsTopology.addTo(statsStreams, topics, properties.commitInterval(), properties.rememberSetsFor());
    }

    private static String stateDir(TopologyProperties properties, Environment environment) {
        if (!properties.stateDir().isBlank()) {
            return properties.stateDir();
        }
        return Path.of(environment.getProperty("sluice.data-dir", "./.sluice"), "streams").toAbsolutePath()
                .normalize().toString();
    }
}
