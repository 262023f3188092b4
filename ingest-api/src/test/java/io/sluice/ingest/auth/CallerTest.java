package io.sluice.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.web.ApiException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CallerTest {

    private final Caller everyQueue = new Caller(UUID.randomUUID(), UUID.randomUUID(), List.of(), null);
    private final Caller star = new Caller(UUID.randomUUID(), UUID.randomUUID(), List.of("*"), null);
    private final Caller billing = new Caller(UUID.randomUUID(), UUID.randomUUID(), List.of("billing"), null);

    @Test
    void anEmptyScopeOrAStarReachesEveryQueue() {
        assertThat(everyQueue.reaches("anything")).isTrue();
        assertThat(star.reaches("anything")).isTrue();
        assertThat(everyQueue.queueScope()).isNull();
        assertThat(star.queueScope()).isNull();
    }

    @Test
    void aScopedKeyReachesOnlyItsQueuesAndMustNameOneForBulkActions() {
        assertThat(billing.reaches("billing")).isTrue();
        assertThat(billing.reaches("reports")).isFalse();
        assertThat(billing.queueScope()).containsExactly("billing");
        billing.requireQueueFilter("billing");
        assertThatThrownBy(() -> billing.requireQueue("reports")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("ACCESS_DENIED"));
        assertThatThrownBy(() -> billing.requireQueueFilter(null)).isInstanceOf(ApiException.class);
        everyQueue.requireQueueFilter(null);
    }
}
