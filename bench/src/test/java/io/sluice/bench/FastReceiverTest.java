package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import io.sluice.core.delivery.RetrySchedule;
import org.junit.jupiter.api.Test;

class FastReceiverTest {

    @Test
    void countsDistinctWebhookIdsAndRecordsFirstArrivalPerSeq() throws Exception {
        PayloadFactory payloads = new PayloadFactory("bench", "e1", 512);
        try (FastReceiver receiver = FastReceiver.start(2);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThat(post(client, receiver, "msg_a", payloads.payload(0, 1))).isEqualTo(204);
            assertThat(post(client, receiver, "msg_b", payloads.payload(1, 2))).isEqualTo(204);
            long afterFirstDelivery = System.nanoTime();
            // A redelivery of job a: same webhook-id, same body.
            assertThat(post(client, receiver, "msg_a", payloads.payload(0, 1))).isEqualTo(204);

            assertThat(receiver.awaitAll(Duration.ofSeconds(5))).isTrue();
            assertThat(receiver.totalPosts()).isEqualTo(3);
            assertThat(receiver.distinctWebhookIds()).isEqualTo(2);
            assertThat(receiver.duplicates()).isEqualTo(1);
            assertThat(receiver.missingCount()).isZero();
            assertThat(receiver.unrecognisedPosts()).isZero();
            long[] arrivals = receiver.arrivalNanos();
            assertThat(arrivals).hasSize(2).doesNotContain(0L);
            assertThat(arrivals[0]).as("first arrival kept, not the redelivery").isLessThan(afterFirstDelivery);
        }
    }

    @Test
    void reportsMissingAndUnrecognisedDeliveries() throws Exception {
        try (FastReceiver receiver = FastReceiver.start(3);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThat(post(client, receiver, "msg_1", "{\"seq\":1}")).isEqualTo(204);
            assertThat(post(client, receiver, "msg_2", "{\"seq\":3}")).isEqualTo(204);
            assertThat(post(client, receiver, "msg_3", "{\"hello\":true}")).isEqualTo(204);

            assertThat(receiver.awaitAll(Duration.ofMillis(50))).isFalse();
            assertThat(receiver.receivedCount()).isEqualTo(1);
            assertThat(receiver.missingCount()).isEqualTo(2);
            assertThat(receiver.unrecognisedPosts()).isEqualTo(2);
        }
    }

    @Test
    void inFlakyModeAnswersAsTheSeedSaysAndCountsAJobAtItsFirst2xx() throws Exception {
        // given: job 0 refused on its first attempt and accepted on its second
        FlakyAnswers answers = new FlakyAnswers(50, 1);
        long seq = 0;
        while (answers.failuresBeforeSuccess(seq, 2) != 1) {
            seq++;
        }
        String body = "{\"seq\":" + seq + "}";
        AttemptLog attempts = new AttemptLog(answers);
        try (FastReceiver receiver = FastReceiver.startFlaky((int) seq + 1, attempts);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            // when / then
            assertThat(post(client, receiver, "msg_a", body)).isEqualTo(503);
            assertThat(receiver.awaitAll(Duration.ofMillis(50))).as("a refused attempt is no arrival").isFalse();
            assertThat(post(client, receiver, "msg_a", body)).isEqualTo(204);
            assertThat(receiver.arrivalNanos()[(int) seq]).isNotZero();
            AttemptLog.Summary summary = attempts.summarize(RetrySchedule.parse("1s", "1s"));
            assertThat(summary.attempts()).isEqualTo(2);
            assertThat(summary.refused()).isEqualTo(1);
            assertThat(summary.delivered()).isEqualTo(1);
        }
    }

    @Test
    void theSilentReceiverAcceptsAndReadsButNeverAnswers() throws Exception {
        try (SilentReceiver receiver = SilentReceiver.start();
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest request = HttpRequest.newBuilder(receiver.hookUrl())
                    .timeout(Duration.ofMillis(300))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"seq\":1}"))
                    .build();
            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(HttpTimeoutException.class);
            assertThat(receiver.connections()).isEqualTo(1);
            assertThat(receiver.bytesRead()).isPositive();
        }
    }

    @Test
    void aFannedOutMessageCountsOncePerEndpointItReached() throws Exception {
        PayloadFactory payloads = new PayloadFactory("bench", null, 128);
        try (FastReceiver receiver = FastReceiver.startFanOut(2, 3);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int message = 0; message < 2; message++) {
                for (int lane = 0; lane < 3; lane++) {
                    assertThat(post(client, receiver.hookUrl(lane), "job_" + message + "_" + lane,
                            payloads.payload(message, 1))).isEqualTo(204);
                }
            }
            assertThat(post(client, receiver.hookUrl(3), "job_x", payloads.payload(0, 1))).isEqualTo(204);

            assertThat(receiver.awaitAll(Duration.ofSeconds(5))).isTrue();
            assertThat(receiver.receivedCount()).isEqualTo(6);
            assertThat(receiver.unrecognisedPosts()).as("an endpoint beyond the three").isEqualTo(1);
            assertThat(receiver.duplicates()).isZero();
        }
    }

    private static int post(HttpClient client, FastReceiver receiver, String webhookId, String body)
            throws Exception {
        return post(client, receiver.hookUrl(), webhookId, body);
    }

    private static int post(HttpClient client, java.net.URI url, String webhookId, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(url)
                .header("webhook-id", webhookId)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
