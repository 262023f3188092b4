package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code SystemHealth} on the realtime streams, from a node that looks at PostgreSQL and Kafka
 * often and repeats what it saw every second (by default: every 5 s and every 30 s, which the
 * other streams' tests never wait for). A context of its own, closed afterwards.
 */
@TestPropertySource(properties = {"sluice.realtime.health-check=200ms", "sluice.realtime.health-interval=1s",
        "sluice.topology.enabled=false"})
@DirtiesContext
class SystemHealthIT extends SluiceIntegrationTest {

    @Test
    void aStreamIsToldTheNodesHealthAgainAndAgainWhileItWatches() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("health"));
        Instant opened = Instant.now();

        try (SseStream stream = SseStream.open("http://127.0.0.1:" + port + "/api/v1/events?api_key="
                + tenant.apiKey(), Map.of())) {
            assertThat(stream.status()).isEqualTo(200);
            List<SseStream.Frame> first = stream.until("SystemHealth", Duration.ofSeconds(10));
            List<SseStream.Frame> second = stream.until("SystemHealth", Duration.ofSeconds(10));

            assertThat(List.of(first.getLast(), second.getLast())).allSatisfy(frame -> {
                assertThat(frame.body().get("status").asString()).isEqualTo("healthy");
                assertThat(frame.body().get("database").asBoolean()).isTrue();
                assertThat(frame.body().get("kafka").asBoolean()).isTrue();
                assertThat(frame.body().get("cache").asBoolean()).isTrue();
            });
            Instant firstAt = Instant.parse(first.getLast().body().get("at").asString());
            Instant secondAt = Instant.parse(second.getLast().body().get("at").asString());
            assertThat(firstAt).isAfterOrEqualTo(opened.minusSeconds(1));
            assertThat(secondAt).as("a newer look, not the same one again").isAfter(firstAt);
        }
    }
}
