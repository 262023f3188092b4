package io.sluice.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryMessageTest {

    private final DeliveryMessage message = new DeliveryMessage(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            "orders", "https://example.com/hook", "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", 15_000,
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void readsBackWhatItsHeadersWrote() {
        Map<String, byte[]> headers = message.headers();

        DeliveryMessage read = DeliveryMessage.read(headers::get, message.payload());

        assertThat(read.jobId()).isEqualTo(message.jobId());
        assertThat(read.organizationId()).isEqualTo(message.organizationId());
        assertThat(read.endpointId()).isEqualTo(message.endpointId());
        assertThat(read.url()).isEqualTo(message.url());
        assertThat(read.secret()).isEqualTo(message.secret());
        assertThat(read.timeoutMs()).isEqualTo(15_000);
        assertThat(read.payload()).isEqualTo(message.payload());
        assertThat(message.key()).isEqualTo(message.jobId().toString());
    }

    @Test
    void aRecordWithoutAHeaderIsMalformed() {
        Map<String, byte[]> headers = new java.util.HashMap<>(message.headers());
        headers.remove(DeliveryMessage.H_URL);

        assertThatThrownBy(() -> DeliveryMessage.read(headers::get, message.payload()))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining(DeliveryMessage.H_URL);
    }

    @Test
    void neverPrintsItsSecret() {
        assertThat(message.toString()).doesNotContain("whsec_");
    }

    @Test
    void theCatalogCreatesEveryTopicWithItsPartitionsAndADurableMinIsr() {
        Topics topics = new Topics("sluice", 12, 6, (short) 3);

        assertThat(topics.all()).extracting(TopicSpec::name)
                .containsExactly("sluice.deliveries", "sluice.events", "sluice.dlq", "sluice.stats");
        assertThat(topics.all().getFirst().partitions()).isEqualTo(12);
        assertThat(topics.all().getFirst().configs()).containsEntry("min.insync.replicas", "2");
        assertThat(topics.all().get(3).configs()).containsEntry("cleanup.policy", "compact");
    }
}
