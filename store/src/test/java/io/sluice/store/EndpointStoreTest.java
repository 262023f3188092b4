package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.kafka.EndpointSnapshot;
import io.sluice.core.webhook.SigningKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EndpointStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final EndpointStore endpoints = new EndpointStore(db.jdbc);
    private final UUID org = db.newOrganization(clock);

    @Test
    void customHeadersAndOrderingAreKeptAndChangedWithTheSettings() {
        Endpoint endpoint = db.newEndpoint(org, clock);

        endpoints.update(endpoint.withSettings(endpoint.url(), null, endpoint.timeoutMs(), EndpointLimits.NONE,
                List.of(), Subscription.ALL, Map.of("Authorization", "Bearer abc", "X-Tenant", "acme"), Endpoint.Ordering.FIFO,
                clock.instant()));

        assertThat(endpoints.get(org, endpoint.id()).orElseThrow().headers())
                .containsOnly(Map.entry("Authorization", "Bearer abc"), Map.entry("X-Tenant", "acme"));
        assertThat(endpoints.get(org, endpoint.id()).orElseThrow().ordering()).isEqualTo(Endpoint.Ordering.FIFO);
    }

    @Test
    void aRotationKeepsTheReplacedKeyUntilTheEndOfItsGracePeriod() {
        // given
        Endpoint endpoint = db.newEndpoint(org, clock);
        Instant graceEnd = clock.instant().plus(Duration.ofHours(24));
        SigningKeys rotated = endpoint.signingKeys().rotatedTo("whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3", graceEnd);

        // when
        boolean done = endpoints.rotateKeys(org, endpoint.id(), endpoint.signingKeys().current(), rotated, clock.instant());

        // then
        assertThat(done).isTrue();
        SigningKeys stored = endpoints.get(org, endpoint.id()).orElseThrow().signingKeys();
        assertThat(stored.current()).isEqualTo("whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3");
        assertThat(stored.previous()).isEqualTo(endpoint.signingKeys().current());
        assertThat(stored.previousUntil()).isEqualTo(graceEnd.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void ofTwoRotationsFromTheSameKeyOnlyOneTakesEffect() {
        Endpoint endpoint = db.newEndpoint(org, clock);
        String replaced = endpoint.signingKeys().current();
        Instant graceEnd = clock.instant().plusSeconds(60);

        boolean first = endpoints.rotateKeys(org, endpoint.id(), replaced,
                endpoint.signingKeys().rotatedTo("whsec_Zmlyc3RmaXJzdGZpcnN0Zmlyc3RmaXJzdA", graceEnd), clock.instant());
        boolean second = endpoints.rotateKeys(org, endpoint.id(), replaced,
                endpoint.signingKeys().rotatedTo("whsec_c2Vjb25kc2Vjb25kc2Vjb25kc2Vjb25k", graceEnd), clock.instant());

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(endpoints.get(org, endpoint.id()).orElseThrow().signingKeys().current())
                .isEqualTo("whsec_Zmlyc3RmaXJzdGZpcnN0Zmlyc3RmaXJzdA");
    }

    @Test
    void aDeletedEndpointLeavesTheApiAndIsPublishedDisabled() {
        // given
        EndpointPublicationStore publications = new EndpointPublicationStore(db.jdbc, db.tx);
        Endpoint endpoint = db.newEndpoint(org, clock);
        while (publications.publishChanged(1_000, batch -> { }) > 0) {
            // drained
        }

        // when
        boolean deleted = endpoints.delete(org, Endpoint.Kind.WEBHOOK, endpoint.id(), clock.instant());

        // then
        assertThat(deleted).isTrue();
        assertThat(endpoints.get(org, endpoint.id())).isEmpty();
        assertThat(endpoints.list(org, Endpoint.Kind.WEBHOOK, 100, 0)).extracting(Endpoint::id).doesNotContain(endpoint.id());
        assertThat(endpoints.delete(org, Endpoint.Kind.WEBHOOK, endpoint.id(), clock.instant())).isFalse();
        assertThat(endpoints.update(endpoint.disabledByOwner(clock.instant()))).isFalse();
        List<EndpointSnapshot> published = new ArrayList<>();
        publications.publishChanged(1_000, published::addAll);
        assertThat(published).filteredOn(s -> s.id().equals(endpoint.id())).singleElement()
                .satisfies(s -> {
                    assertThat(s.enabled()).isFalse();
                    assertThat(s.disabledReason()).isEqualTo("endpoint deleted");
                });
    }
}
