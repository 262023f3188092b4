package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.AttemptOutcome;
import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.job.Uuid7;
import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.net.SsrfGuard;
import io.sluice.core.webhook.SigningKeys;
import io.sluice.core.webhook.WebhookSecret;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher never connects to an address the SSRF guard refuses. */
class WebhookDispatcherSsrfTest {

    private final WorkerProperties properties = new WorkerProperties(true, "test", 10, 4,
            Duration.ofSeconds(2), Duration.ofMillis(200), "test-worker", "test-retry", DataSize.ofMegabytes(1));
    private WebhookDispatcher dispatcher;

    @AfterEach
    void stop() throws Exception {
        dispatcher.destroy();
    }

    @Test
    void aHostResolvingToLoopbackFailsTheAttemptAsSsrfBlockedWithoutConnecting() throws Exception {
        // given: something listens on loopback, and the guard allows no internal network
        try (ServerSocket listener = new ServerSocket(0)) {
            dispatcher = new WebhookDispatcher(properties, Clock.systemUTC(),
                    new Uuid7(Clock.systemUTC(), ThreadLocalRandom.current()), SsrfGuard.allowing(List.of()));

            // when
            AttemptReport attempt = dispatch("http://localhost:" + listener.getLocalPort() + "/hook");

            // then
            assertThat(attempt.errorClass()).isEqualTo("ssrf_blocked");
            assertThat(attempt.error()).contains("loopback");
            assertThat(attempt.statusCode()).isNull();
            assertThat(attempt.outcome()).isInstanceOf(AttemptOutcome.Failed.class);
        }
    }

    @Test
    void anAllowedNetworkIsReached() throws Exception {
        // given: nothing listens on the port, but loopback is allowed
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        dispatcher = new WebhookDispatcher(properties, Clock.systemUTC(),
                new Uuid7(Clock.systemUTC(), ThreadLocalRandom.current()), SsrfGuard.allowing(List.of("127.0.0.0/8", "::1/128")));

        // when
        AttemptReport attempt = dispatch("http://127.0.0.1:" + closedPort + "/hook");

        // then: the connection was tried, and refused by the operating system
        assertThat(attempt.errorClass()).isEqualTo("connect");
    }

    private AttemptReport dispatch(String url) throws Exception {
        DeliveryMessage delivery = DeliveryMessage.first(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "q",
                url, SigningKeys.of(WebhookSecret.generate(new SecureRandom()).toString()), Map.of(), 2_000, EndpointLimits.NONE, 1, java.util.List.of(), 3,
                "{}".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<AttemptReport> recorded = new CompletableFuture<>();
        dispatcher.dispatch(delivery, recorded::complete);
        return recorded.get(10, TimeUnit.SECONDS);
    }
}
