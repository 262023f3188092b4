package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.sluice.core.kafka.Topics;
import io.sluice.core.job.JobState;
import io.sluice.core.stats.ScopeFlow;
import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StateCounts;
import io.sluice.core.stats.StatsCodec;
import io.sluice.core.stats.StatsScope;
import io.sluice.testkit.RealServers;
import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The live stats on real Kafka and PostgreSQL: after jobs are delivered, dead-lettered,
 * scheduled, cancelled and purged, the lines on {@code sluice.stats} for each queue and for the
 * organization count exactly what PostgreSQL holds.
 */
class LiveStatsIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start();

    @Autowired
    Topics topics;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void theCountsOfEveryQueueAndOfTheOrganizationMatchPostgres() {
        // given: jobs that end in every way
        receiver.answering(delivery -> delivery.path().startsWith("/bad") ? 500 : 200);
        SluiceClient.Tenant tenant = client.newOrganization(unique("stats"));
        SluiceClient.Receiver ok = client.newEndpoint(tenant, receiver.url("/ok"));
        SluiceClient.Receiver bad = client.newEndpoint(tenant, receiver.url("/bad"));
        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            delivered.add(enqueue(tenant, ok, "orders", 0, null));
        }
        List<String> dead = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            dead.add(enqueue(tenant, bad, "invoices", 0, null));
        }
        List<String> purged = List.of(enqueue(tenant, bad, "purged", 0, null), enqueue(tenant, bad, "purged", 0, null));
        String later = Instant.now().plus(Duration.ofDays(1)).toString();
        List<String> scheduled = List.of(enqueue(tenant, ok, "orders", 0, later), enqueue(tenant, ok, "orders", 0, later));
        String cancelled = enqueue(tenant, ok, "orders", 0, later);

        delivered.forEach(id -> awaitStatus(tenant, id, "completed"));
        dead.forEach(id -> awaitStatus(tenant, id, "deadletter"));
        purged.forEach(id -> awaitStatus(tenant, id, "deadletter"));
        assertThat(client.delete(tenant.apiKey(), "/api/v1/jobs/" + cancelled).status()).isEqualTo(204);
        assertThat(client.post(tenant.apiKey(), "/api/v1/jobs/dlq/purge",
                "{\"queue_name\":\"purged\",\"confirm\":true}").status()).isEqualTo(200);
        assertThat(scheduled).allSatisfy(id -> awaitStatus(tenant, id, "scheduled"));

        // then: the stats catch up with PostgreSQL, scope by scope
        UUID org = UUID.fromString(tenant.organizationId());
        Map<StatsScope, StateCounts> expected = countsInPostgres(org);
        assertThat(expected.get(StatsScope.queue(org, "orders")))
                .isEqualTo(new StateCounts(2, 0, 0, 20, 0, 0, 1));
        expected.put(StatsScope.queue(org, "purged"), StateCounts.NONE);
        try (StatsReader stats = new StatsReader()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                Map<StatsScope, StateCounts> live = stats.readOf(org);
                assertThat(live).isEqualTo(expected);
            });
            // and the flows count the same outcomes, each once (within the last hour)
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                stats.readOf(org);
                ScopeFlow orders = stats.flowOf(StatsScope.queue(org, "orders"));
                assertThat(orders.delivered().lastHour() * 3600).isCloseTo(20, within(1e-6));
                assertThat(orders.failed().lastHour()).isZero();
                assertThat(orders.latencyLastHour().count()).isEqualTo(20);
                assertThat(orders.latencyLastHour().p50()).isPositive()
                        .isLessThanOrEqualTo(orders.latencyLastHour().p99());
                assertThat(orders.oldestPendingMs()).as("nothing pending").isNull();
                ScopeFlow organization = stats.flowOf(StatsScope.organization(org));
                assertThat(organization.delivered().lastHour() * 3600).isCloseTo(20, within(1e-6));
                assertThat(organization.deadLettered().lastHour() * 3600).as("purged after they were dead-lettered")
                        .isCloseTo(6, within(1e-6));
                assertThat(organization.failed().lastHour() * 3600).isCloseTo(6, within(1e-6));
            });
        }
        // each endpoint's attempts, as the API tells them
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode good = client.get(tenant.apiKey(), "/api/v1/endpoints/" + ok.id() + "/stats").body();
            assertThat(good.get("attempts_per_second").get("last_hour").asDouble() * 3600).isCloseTo(20, within(1e-6));
            assertThat(good.get("success_rate").get("last_hour").asDouble()).isEqualTo(1.0);
            assertThat(good.get("latency_ms").get("last_hour").get("count").asLong()).isEqualTo(20);
            JsonNode failing = client.get(tenant.apiKey(), "/api/v1/endpoints/" + bad.id() + "/stats").body();
            assertThat(failing.get("attempts_per_second").get("last_hour").asDouble() * 3600)
                    .isCloseTo(6, within(1e-6));
            assertThat(failing.get("success_rate").get("last_hour").asDouble()).isZero();
        });
        SluiceClient.Tenant other = client.newOrganization(unique("stats-other"));
        assertThat(client.get(other.apiKey(), "/api/v1/endpoints/" + ok.id() + "/stats").status())
                .as("another organization's endpoint").isEqualTo(404);
    }

    private Map<StatsScope, StateCounts> countsInPostgres(UUID org) {
        Map<StatsScope, StateCounts> counts = new HashMap<>();
        jdbc.query("SELECT queue_name, state, count(*) FROM jobs WHERE organization_id = ? GROUP BY 1, 2", rs -> {
            JobState state = JobState.fromWireName(rs.getString(2));
            for (StatsScope scope : List.of(StatsScope.queue(org, rs.getString(1)), StatsScope.organization(org))) {
                StateCounts sum = counts.getOrDefault(scope, StateCounts.NONE);
                for (long i = 0; i < rs.getLong(3); i++) {
                    sum = sum.moved(null, state);
                }
                counts.put(scope, sum);
            }
        }, org);
        return counts;
    }

    private String enqueue(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, String queue, int maxRetries,
                           String scheduledAt) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue
                + "\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{},\"max_retries\":" + maxRetries
                + (scheduledAt == null ? "" : ",\"scheduled_at\":\"" + scheduledAt + "\"") + "}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    /** Reads {@code sluice.stats} from the start, keeping the newest line of each scope. */
    private final class StatsReader implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final Map<String, ScopeStats> lines = new HashMap<>();

        StatsReader() {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, RealServers.get().springProperties()
                    .get("spring.kafka.bootstrap-servers"));
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topics.stats()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        Map<StatsScope, StateCounts> readOf(UUID org) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                lines.put(record.key(), StatsCodec.decode(record.value()));
            }
            Map<StatsScope, StateCounts> counts = new HashMap<>();
            lines.values().stream().filter(line -> line.scope().organizationId().equals(org))
                    .filter(line -> !line.scope().isEndpoint())
                    .forEach(line -> counts.put(line.scope(), line.counts()));
            return counts;
        }

        ScopeFlow flowOf(StatsScope scope) {
            return lines.get(scope.key()).flow();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
