package io.sluice.app;

import static org.awaitility.Awaitility.await;

import io.sluice.testkit.RealServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Base of the in-process integration tests: the whole application on a random port,
 * against the JVM's real PostgreSQL and Kafka. Every subclass shares one Spring context.
 * The gRPC port is random too, so a running Sluice or another test JVM is no obstacle.
 * Deliveries may reach loopback, where the test receivers listen; retries wait 1, 2 and 3 s;
 * an endpoint's circuit opens when 80 % of its last 20 attempts (at least 10) failed, for 2 s;
 * the operator routes take {@link #ADMIN_KEY}; an external worker silent for 3 s is offline. The
 * reconciler is off ({@code ReconcilerIT} runs it in a context of its own): with the short
 * patience a test needs, it would take the slow deliveries of other tests for lost ones.
 */
@SpringBootTest(classes = SluiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.grpc.server.port=0", "sluice.delivery.allowed-cidrs=127.0.0.0/8",
                "sluice.retry.tiers=1s,2s,3s", "sluice.retry.schedule=1s,2s,3s",
                "sluice.worker.circuit-breaker.sliding-window=20", "sluice.worker.circuit-breaker.minimum-calls=10",
                "sluice.worker.circuit-breaker.open-wait=2s", "sluice.admin-key=" + SluiceIntegrationTest.ADMIN_KEY,
                "sluice.work.reaper.silent-after=3s", "sluice.work.reaper.interval=200ms",
                "sluice.reconciler.enabled=false", "sluice.topology.standby-replicas=0"})
abstract class SluiceIntegrationTest {

    /** The operator's key of the test application ({@code sluice.admin-key}). */
    static final String ADMIN_KEY = "test-admin-key-0123456789";

    @DynamicPropertySource
    static void realServers(DynamicPropertyRegistry registry) {
        RealServers.get().springProperties().forEach((name, value) -> registry.add(name, () -> value));
        // Each application context its own Kafka Streams state, as each node has in production.
        String stateDir = newTempDirectory("sluice-test-streams");
        registry.add("sluice.topology.state-dir", () -> stateDir);
    }

    @LocalServerPort
    int port;

    SluiceClient client;

    @BeforeEach
    void connect() {
        client = new SluiceClient("http://127.0.0.1:" + port);
    }

    /** Waits (up to a minute) until the job has {@code status}, then returns it as the API shows it. */
    JsonNode awaitStatus(SluiceClient.Tenant tenant, String id, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> status.equals(client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body().get("status").asString()));
        return client.get(tenant.apiKey(), "/api/v1/jobs/" + id).body();
    }

    private static String newTempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }
}
