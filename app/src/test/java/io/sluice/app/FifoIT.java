package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A FIFO endpoint receives its deliveries one at a time, in acceptance order, retries included. */
class FifoIT extends SluiceIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestReceiver receiver = TestReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void twoHundredMessagesArriveInOrderThoughTheTenthFailsTwice() {
        // given: a FIFO endpoint whose receiver refuses the 10th message's first two attempts
        ConcurrentHashMap<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();
        receiver.answering(d -> {
            int seq = seqOf(d);
            int attempt = attempts.computeIfAbsent(seq, s -> new AtomicInteger()).incrementAndGet();
            return seq == 9 && attempt <= 2 ? 503 : 204;
        });
        SluiceClient.Tenant tenant = client.newOrganization(unique("fifo"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/fifo"),
                "\"ordering\":\"fifo\",\"retry_schedule\":[\"1s\"]");

        // when: 200 messages are published one after the other
        for (int seq = 0; seq < 200; seq++) {
            SluiceClient.Answer published = client.post(tenant.apiKey(), "/api/v1/messages",
                    "{\"event_type\":\"ledger.entry\",\"payload\":{\"seq\":" + seq + "}}");
            assertThat(published.status()).isEqualTo(202);
        }

        // then: every one arrives, and no delivery overtakes an earlier message, retries included
        await().atMost(Duration.ofMinutes(3)).until(() -> receiver.distinctCount() >= 200);
        List<Integer> arrivals = receiver.deliveries().stream().map(FifoIT::seqOf).toList();
        assertThat(arrivals).isSorted();
        assertThat(arrivals).filteredOn(seq -> seq == 9).hasSize(3);
        assertThat(arrivals).hasSize(202).doesNotContainNull();
        assertThat(client.get(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id()).body().get("ordering").asString())
                .isEqualTo("fifo");
        assertThat(client.patch(tenant.apiKey(), "/api/v1/endpoints/" + endpoint.id(), "{\"ordering\":\"lifo\"}")
                .status()).isEqualTo(400);
    }

    private static int seqOf(TestReceiver.Delivery delivery) {
        return JSON.readTree(delivery.body()).get("seq").asInt();
    }
}
