package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a pending job whose delivery is already in Kafka (here: waiting in a retry tier):
 * the job is cancelled at once and the delivery workers drop its retries.
 */
class CancellationIT extends SluiceIntegrationTest {

    private final TestReceiver receiver = TestReceiver.start().answering(d -> 500);

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aJobWaitingForItsNextRetryIsCancelledAndNotSentAgain() {
        // given: a job whose receiver keeps failing, retried every 1-3 s
        SluiceClient.Tenant tenant = client.newOrganization(unique("cancel-in-flight"));
        SluiceClient.Receiver failing = client.newEndpoint(tenant, receiver.url("/failing"));
        String job = client.post(tenant.apiKey(), "/api/v1/jobs", "{\"queue_name\":\"sync\",\"payload\":{},"
                + "\"endpoint_id\":\"" + failing.id() + "\",\"max_retries\":20}").body().get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.deliveries().size() >= 2);

        // when
        SluiceClient.Answer cancelled = client.delete(tenant.apiKey(), "/api/v1/jobs/" + job);

        // then: cancelled now, and over the next retry intervals at most an attempt already under way arrives
        assertThat(cancelled.status()).as(cancelled.raw()).isEqualTo(204);
        int atCancel = receiver.deliveries().size();
        await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10))
                .until(() -> receiver.deliveries().size() <= atCancel + 1);
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + job).body().get("status").asString())
                .isEqualTo("cancelled");
    }
}
