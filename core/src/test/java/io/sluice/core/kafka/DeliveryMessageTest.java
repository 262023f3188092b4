package io.sluice.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.delivery.AttemptSummary;
import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.webhook.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeliveryMessageTest {

    private final DeliveryMessage message = DeliveryMessage.first(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
            "orders", "https://example.com/hook",
            new SigningKeys("whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", "whsec_b2xkc2VjcmV0b2xkc2VjcmV0b2xkc2VjcmV0",
                    Instant.parse("2026-11-30T08:00:00Z")), Map.of("Authorization", "Bearer t0ken"), 15_000, new EndpointLimits(50, 8), 3, List.of(Duration.ofMinutes(1), Duration.ofMinutes(10)), 4,
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void readsBackWhatItsHeadersWrote() {
        Map<String, byte[]> headers = message.headers();

        DeliveryMessage read = DeliveryMessage.read(headers::get, message.payload());

        assertThat(read.jobId()).isEqualTo(message.jobId());
        assertThat(read.organizationId()).isEqualTo(message.organizationId());
        assertThat(read.endpointId()).isEqualTo(message.endpointId());
        assertThat(read.url()).isEqualTo(message.url());
        assertThat(read.signingKeys()).isEqualTo(message.signingKeys());
        assertThat(read.endpointHeaders()).containsExactly(Map.entry("Authorization", "Bearer t0ken"));
        assertThat(read.timeoutMs()).isEqualTo(15_000);
        assertThat(read.payload()).isEqualTo(message.payload());
        assertThat(read.limits()).isEqualTo(new EndpointLimits(50, 8));
        assertThat(read.endpointVersion()).isEqualTo(3);
        assertThat(read.retrySchedule()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(10));
        assertThat(read.attempt()).isEqualTo(1);
        assertThat(read.maxRetries()).isEqualTo(4);
        assertThat(read.dueAt()).isNull();
        assertThat(read.history()).isEmpty();
        assertThat(message.key()).isEqualTo(message.jobId().toString());
    }

    @Test
    void theNextAttemptCarriesItsDueTimeAndEveryEarlierAttempt() {
        AttemptSummary first = new AttemptSummary(1, Instant.parse("2026-11-28T10:00:00Z"), 40, 503, "http_status", "HTTP 503");
        AttemptSummary second = new AttemptSummary(2, Instant.parse("2026-11-28T10:00:05Z"), 15_000, null, "timeout", "x".repeat(1000));
        Instant due = Instant.parse("2026-11-28T10:05:05Z");

        DeliveryMessage third = message.next(first, Instant.parse("2026-11-28T10:00:05Z")).next(second, due);
        DeliveryMessage read = DeliveryMessage.read(third.headers()::get, third.payload());

        assertThat(read.attempt()).isEqualTo(3);
        assertThat(read.dueAt()).isEqualTo(due);
        assertThat(read.history()).hasSize(2);
        assertThat(read.history().getFirst()).isEqualTo(first);
        assertThat(read.history().get(1).error()).hasSize(AttemptSummary.MAX_ERROR_CHARS);
    }

    @Test
    void aStartBookedByTheQueueTravelsWithTheRecordUntilTheAttemptIsMade() {
        Instant due = Instant.parse("2026-11-28T10:00:03Z");

        DeliveryMessage booked = message.deferredByQueueTo(due);
        DeliveryMessage read = DeliveryMessage.read(booked.headers()::get, booked.payload());
        DeliveryMessage deferredByEndpoint = read.deferredTo(due.plusSeconds(5), false);
        DeliveryMessage retried = read.next(new AttemptSummary(1, due, 40, 503, "http_status", "HTTP 503"), due.plusSeconds(9));

        assertThat(read.queueSlotReserved()).isTrue();
        assertThat(read.slotReserved()).isFalse();
        assertThat(read.dueAt()).isEqualTo(due);
        assertThat(deferredByEndpoint.queueSlotReserved()).isTrue();
        assertThat(retried.queueSlotReserved()).isFalse();
        assertThat(message.atAttempt(3).attempt()).isEqualTo(3);
    }

    @Test
    void theHistoryKeepsTheNewestAttemptsOnly() {
        DeliveryMessage later = message;
        for (int i = 1; i <= DeliveryMessage.MAX_HISTORY + 5; i++) {
            later = later.next(new AttemptSummary(i, Instant.EPOCH, 1, 500, "http_status", "no"), Instant.EPOCH);
        }

        assertThat(later.history()).hasSize(DeliveryMessage.MAX_HISTORY);
        assertThat(later.history().getLast().attempt()).isEqualTo(DeliveryMessage.MAX_HISTORY + 5);
    }

    @Test
    void aDeadLetterKeepsTheDeliveryItsReasonAndWhen() {
        AttemptSummary last = new AttemptSummary(1, Instant.parse("2026-11-28T10:00:00Z"), 40, 500, "http_status", "HTTP 500");
        DeadLetter dead = new DeadLetter(message.withHistory(last), "gave up after 1 attempt", Instant.parse("2026-11-28T10:00:01Z"));

        DeadLetter read = DeadLetter.read(dead.headers()::get, message.payload());

        assertThat(read.reason()).isEqualTo("gave up after 1 attempt");
        assertThat(read.deadAt()).isEqualTo(dead.deadAt());
        assertThat(read.delivery().history()).containsExactly(last);
        assertThat(read.delivery().jobId()).isEqualTo(message.jobId());
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
    void aNewerVersionOfItsEndpointReplacesTheUrlKeysHeadersAndLimitsItCarries() {
        EndpointSnapshot newer = new EndpointSnapshot(message.endpointId(), message.organizationId(), 4,
                "https://example.com/moved", "whsec_bmV3c2VjcmV0bmV3c2VjcmV0bmV3c2VjcmV0", null, null, true, null, 10, null,
                Map.of("X-Tenant", "acme"));
        EndpointSnapshot older = new EndpointSnapshot(message.endpointId(), message.organizationId(), 2,
                "https://example.com/old", "whsec_b2xk", null, null, true, null, null, null, null);
        EndpointSnapshot another = new EndpointSnapshot(UUID.randomUUID(), message.organizationId(), 9,
                "https://example.com/other", "whsec_b2xk", null, null, true, null, null, null, null);

        DeliveryMessage moved = message.withEndpoint(newer);

        assertThat(moved.url()).isEqualTo("https://example.com/moved");
        assertThat(moved.signingKeys()).isEqualTo(SigningKeys.of(newer.secret()));
        assertThat(moved.endpointHeaders()).containsExactly(Map.entry("X-Tenant", "acme"));
        assertThat(moved.limits()).isEqualTo(new EndpointLimits(10, null));
        assertThat(moved.endpointVersion()).isEqualTo(4);
        assertThat(moved.timeoutMs()).isEqualTo(message.timeoutMs());
        assertThat(moved.retrySchedule()).isEqualTo(message.retrySchedule());
        assertThat(message.withEndpoint(older)).isSameAs(message);
        assertThat(message.withEndpoint(another)).isSameAs(message);
        assertThat(EndpointSnapshot.decode(newer.encode())).isEqualTo(newer);
        assertThat(newer.toString()).doesNotContain("whsec_");
    }

    @Test
    void neverPrintsItsSecret() {
        assertThat(message.toString()).doesNotContain("whsec_");
    }

    @Test
    void theCatalogCreatesEveryTopicWithItsPartitionsAndADurableMinIsr() {
        Topics topics = new Topics("sluice", 12, 6, (short) 3,
                List.of(Duration.ofSeconds(5), Duration.ofMinutes(30), Duration.ofHours(24)), Duration.ofDays(30));

        assertThat(topics.all()).extracting(TopicSpec::name)
                .containsExactly("sluice.deliveries", "sluice.events", "sluice.dlq", "sluice.stats",
                        "sluice.endpoints", "sluice.work", "sluice.queues", "sluice.cancellations", "sluice.circuits",
                        "sluice.retry.5s",
                        "sluice.retry.30m", "sluice.retry.24h");
        assertThat(topics.all().get(5).partitions()).isEqualTo(12);
        assertThat(topics.all().get(4).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.all().get(6).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.all().get(7).configs()).containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
        assertThat(topics.all().get(8).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.all().get(2).configs()).containsEntry("retention.ms", Long.toString(Duration.ofDays(30).toMillis()));
        assertThatThrownBy(() -> topics.retryTier(Duration.ofMinutes(5))).hasMessageContaining("no retry tier");
        assertThat(topics.all().getFirst().partitions()).isEqualTo(12);
        assertThat(topics.all().getFirst().configs()).containsEntry("min.insync.replicas", "2");
        assertThat(topics.all().get(3).configs()).containsEntry("cleanup.policy", "compact");
    }
}
