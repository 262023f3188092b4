package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testkit.TestReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/ws}: subscribe, unsubscribe and ping over a real WebSocket; the upgrade is authenticated. */
class LiveSocketIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start().answering(delivery -> 200);

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aSubscriptionToAQueueGetsItsJobsUntilUnsubscribed() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("ws"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/ws"));
        String queue = unique("ws-queue");
        Messages messages = new Messages();
        WebSocket socket = open(tenant, messages);
        try {
            // when subscribed to the queue
            socket.sendText("{\"cmd\":\"Subscribe\",\"queue\":\"" + queue + "\"}", true).get();
            socket.sendText("{\"cmd\":\"Ping\"}", true).get();
            assertThat(messages.next().get("type").asString()).as("commands are taken in order").isEqualTo("Ping");
            String first = enqueue(tenant, endpoint, queue);

            // then its jobs' changes arrive, through to completion
            JsonNode completed = messages.until("JobCompleted");
            assertThat(completed.get("data").get("job_id").asString()).isEqualTo(first);

            // when unsubscribed, a later job is not sent
            socket.sendText("{\"cmd\":\"Unsubscribe\",\"queue\":\"" + queue + "\"}", true).get();
            String second = enqueue(tenant, endpoint, queue);
            awaitStatus(tenant, second, "completed");
            Thread.sleep(1_000); // long enough for its changes to have reached the feed
            messages.drainQueueStats();
            socket.sendText("{\"cmd\":\"Ping\"}", true).get();
            assertThat(messages.next().get("type").asString()).isEqualTo("Ping");

            // and a command that is not one is answered with an error, the socket stays open
            socket.sendText("{\"cmd\":\"Dance\"}", true).get();
            JsonNode error = messages.next();
            assertThat(error.get("type").asString()).isEqualTo("Error");
            assertThat(error.get("data").get("code").asString()).isEqualTo("VALIDATION_ERROR");
        } finally {
            socket.abort();
        }
    }

    @Test
    void spooledSdksCommandsAreAnsweredByTheirRequestIdAndTheirSubscriptionsWork() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("ws-sdk"));
        SluiceClient.Receiver endpoint = client.newEndpoint(tenant, receiver.url("/ws-sdk"));
        String queue = unique("ws-sdk-queue");
        Messages messages = new Messages();
        WebSocket socket = open(tenant, messages);
        try {
            // when subscribed as the SDKs do
            socket.sendText("{\"type\":\"subscribe\",\"filter\":{\"queueName\":\"" + queue
                    + "\"},\"requestId\":\"req_1\"}", true).get();

            // then the command is answered, and the queue's jobs arrive
            JsonNode subscribed = messages.until("subscribed");
            assertThat(subscribed.get("request_id").asString()).isEqualTo("req_1");
            String job = enqueue(tenant, endpoint, queue);
            assertThat(messages.until("JobCompleted").get("data").get("job_id").asString()).isEqualTo(job);

            // a refused one is answered with its reason, by its id
            socket.sendText("{\"type\":\"subscribe\",\"filter\":{\"jobId\":\"not-a-job\"},"
                    + "\"requestId\":\"req_2\"}", true).get();
            JsonNode refused = messages.until("error");
            assertThat(refused.get("request_id").asString()).isEqualTo("req_2");
            assertThat(refused.get("error").asString()).isNotBlank();

            socket.sendText("{\"type\":\"unsubscribe\",\"filter\":{\"queueName\":\"" + queue
                    + "\"},\"requestId\":\"req_3\"}", true).get();
            assertThat(messages.until("unsubscribed").get("request_id").asString()).isEqualTo("req_3");
        } finally {
            socket.abort();
        }
    }

    @Test
    void theUpgradeIsRefusedWithoutAValidCredential() {
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws?token=sk_live_nope"), new Messages())
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }

    private WebSocket open(SluiceClient.Tenant tenant, Messages messages) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/ws?token=" + tenant.apiKey()), messages)
                .get(10, TimeUnit.SECONDS);
    }

    private String enqueue(SluiceClient.Tenant tenant, SluiceClient.Receiver endpoint, String queue) {
        SluiceClient.Answer created = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"" + queue
                + "\",\"endpoint_id\":\"" + endpoint.id() + "\",\"payload\":{}}");
        assertThat(created.status()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    /** The text messages received, parsed. */
    private static final class Messages implements WebSocket.Listener {

        private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(SluiceClient.JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode message = received.poll(30, TimeUnit.SECONDS);
            assertThat(message).as("a message within 30 s").isNotNull();
            return message;
        }

        JsonNode until(String type) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode message = next();
                if (message.get("type").asString().equals(type)) {
                    return message;
                }
            }
            throw new AssertionError("no " + type);
        }

        /** The queue's counts may still come after its jobs are done; they are not job changes. */
        void drainQueueStats() {
            received.removeIf(message -> message.get("type").asString().equals("QueueStats"));
        }
    }
}
