package io.sluice.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL and one real Kafka broker per test JVM, started on first use and
 * stopped when the JVM exits. With Docker they are Testcontainers; without it, PostgreSQL
 * binaries from a Maven jar and an in-JVM KRaft broker. Tests isolate themselves by
 * organization, queue and topic names, never by starting servers of their own.
 *
 * <p>Set {@code -Dsluice.test.servers=embedded} (or {@code docker}) to force one way.
 */
public final class RealServers {

    private static final Logger log = LoggerFactory.getLogger(RealServers.class);
    private static final String POSTGRES_IMAGE = "postgres:18";
    private static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

    /** Where the servers are; enough to configure any client. */
    public record Endpoints(String jdbcUrl, String username, String password, String bootstrapServers) {

        /** As Spring Boot properties. */
        public Map<String, String> springProperties() {
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("spring.datasource.url", jdbcUrl);
            properties.put("spring.datasource.username", username);
            properties.put("spring.datasource.password", password);
            properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
            return properties;
        }
    }

    private static Endpoints endpoints;

    private RealServers() {
    }

    public static synchronized Endpoints get() {
        if (endpoints == null) {
            endpoints = useDocker() ? startContainers() : startEmbedded();
        }
        return endpoints;
    }

    private static boolean useDocker() {
        String choice = System.getProperty("sluice.test.servers", "auto");
        return switch (choice) {
            case "docker" -> true;
            case "embedded" -> false;
            default -> {
                try {
                    yield DockerClientFactory.instance().isDockerAvailable();
                } catch (RuntimeException | LinkageError e) {
                    yield false;
                }
            }
        };
    }

    private static Endpoints startContainers() {
        log.info("Test servers: Testcontainers ({} and {})", POSTGRES_IMAGE, KAFKA_IMAGE);
        PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE)
                .withCommand("postgres", "-c", "synchronous_commit=on", "-c", "max_connections=300");
        KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
        postgres.start();
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            postgres.stop();
        }));
        return new Endpoints(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(),
                kafka.getBootstrapServers());
    }

    private static Endpoints startEmbedded() {
        log.info("Test servers: embedded PostgreSQL and an in-JVM KRaft Kafka broker (no Docker)");
        try {
            Path dir = Files.createTempDirectory("sluice-test-postgres");
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(true)
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "300")
                    .start();
            EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
            kafka.brokerProperties(Map.of(
                    "auto.create.topics.enable", "false",
                    "offsets.topic.num.partitions", "12",
                    "group.initial.rebalance.delay.ms", "0",
                    // exactly-once Kafka Streams (the stats topology) on one broker
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "num.network.threads", "2",
                    "num.io.threads", "4"));
            kafka.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.destroy();
                try {
                    postgres.close();
                } catch (IOException e) {
                    log.warn("Stopping the test PostgreSQL failed", e);
                }
            }));
            return new Endpoints(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
                    kafka.getBrokersAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
