package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.RealServers;
import io.sluice.testkit.TestReceiver;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Kills Sluice with SIGKILL while 5,000 jobs are in flight, starts it again, and checks
 * that every accepted job is delivered and ends completed. Duplicates are allowed
 * (delivery is at-least-once) and reported; a lost job fails the test.
 */
class CrashRecoveryIT {

    private static final int JOBS = 5_000;
    /** Few connections and a slow receiver stretch delivery over seconds, so the kill lands mid-flight. */
    private static final List<String> SLOW_DELIVERY = List.of(
            "--sluice.worker.max-connections-per-endpoint=4",
            "--spring.kafka.consumer.properties.session.timeout.ms=10000");

    @Test
    void everyAcceptedJobIsDeliveredAfterACrashInTheMiddleOfDelivery() throws Exception {
        RealServers.get();
        try (TestReceiver receiver = TestReceiver.start().answering(delivery -> {
            sleep(5);
            return 200;
        })) {
            // given: Sluice running, with 5,000 jobs accepted
            Set<String> accepted = new HashSet<>();
            String organizationId;
            int port = SluiceProcess.freePort();
            try (SluiceProcess first = SluiceProcess.start("crash-first-run", port, SLOW_DELIVERY)) {
                SluiceClient client = new SluiceClient(first.baseUrl());
                SluiceClient.Tenant tenant = client.newOrganization("crash-" + UUID.randomUUID().toString().substring(0, 8));
                organizationId = tenant.organizationId();
                SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/crash"));
                String items = String.join(",", java.util.Collections.nCopies(100, "{\"payload\":{\"crash\":true}}"));
                for (int batch = 0; batch < JOBS / 100; batch++) {
                    SluiceClient.Answer answer = client.post(tenant.apiKey(), "/api/v1/jobs/bulk",
                            "{\"queue_name\":\"crash\",\"endpoint_id\":\"" + endpoint.id() + "\",\"jobs\":[" + items + "]}");
                    assertThat(answer.status()).isEqualTo(200);
                    for (JsonNode ok : answer.body().get("succeeded")) {
                        accepted.add(ok.get("job_id").asString());
                    }
                }
                assertThat(accepted).hasSize(JOBS);

                // when: it is killed while deliveries are in flight
                await().atMost(Duration.ofMinutes(2)).until(() -> receiver.distinctCount() >= JOBS / 5);
                first.kill();
            }
            int deliveredBeforeCrash = receiver.distinctCount();
            assertThat(deliveredBeforeCrash).as("the crash must land mid-flight").isLessThan(JOBS);

            // then: after a restart every job arrives, and each ends completed in PostgreSQL
            try (SluiceProcess second = SluiceProcess.start("crash-second-run", port, SLOW_DELIVERY)) {
                await().atMost(Duration.ofMinutes(4)).until(() -> receiver.distinctCount() >= JOBS);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> completedJobs(organizationId) == JOBS);
            }
            Set<String> delivered = new HashSet<>();
            receiver.deliveries().forEach(d -> delivered.add(d.webhookId()));
            assertThat(delivered).isEqualTo(accepted);
            int duplicates = receiver.totalCount() - receiver.distinctCount();
            System.out.printf("Crash recovery: %d jobs, %d delivered before the kill, 0 lost, %d duplicate deliveries%n",
                    JOBS, deliveredBeforeCrash, duplicates);
            assertThat(attemptsWithoutJob(organizationId)).isZero();
        }
    }

    private static long completedJobs(String organizationId) throws Exception {
        return count("SELECT count(*) FROM jobs WHERE organization_id = ? AND state = 'completed'", organizationId);
    }

    private static long attemptsWithoutJob(String organizationId) throws Exception {
        return count("SELECT count(*) FROM attempts a WHERE a.organization_id = ? "
                + "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = a.job_id)", organizationId);
    }

    private static long count(String sql, String organizationId) throws Exception {
        RealServers.Endpoints servers = RealServers.get();
        try (Connection connection = DriverManager.getConnection(servers.jdbcUrl(), servers.username(), servers.password());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, UUID.fromString(organizationId));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
