package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.kafka.EndpointSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every version of an endpoint that matters to deliveries is published once, newest last. */
class EndpointPublicationStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final EndpointPublicationStore publications = new EndpointPublicationStore(db.jdbc, db.tx);
    private final EndpointStore endpoints = new EndpointStore(db.jdbc);
    private final UUID org = db.newOrganization(clock);

    @BeforeEach
    void publishWhatOtherTestsLeft() {
        while (publications.publishChanged(1_000, batch -> { }) > 0) {
            // drained
        }
    }

    @Test
    void aNewEndpointIsPublishedOnceAsItsFirstVersion() {
        // given
        Endpoint endpoint = db.newEndpoint(org, clock);
        List<EndpointSnapshot> published = new ArrayList<>();

        // when
        publications.publishChanged(100, published::addAll);
        publications.publishChanged(100, published::addAll);

        // then
        assertThat(published).containsExactly(new EndpointSnapshot(endpoint.id(), org, 1, endpoint.url(),
                endpoint.signingKeys().current(), null, null, true, null, null, null, Map.of()));
    }

    @Test
    void anOwnersChangeOrADisableIsPublishedAsANewVersion() {
        // given
        Endpoint endpoint = db.newEndpoint(org, clock);
        publications.publishChanged(100, batch -> { });
        Endpoint moved = endpoint.withSettings("https://receiver.test/moved", null, endpoint.timeoutMs(),
                new EndpointLimits(5, 2), List.of(), Subscription.ALL, Map.of("X-Tenant", "acme"),
                Endpoint.Ordering.NONE, clock.instant())
                .disabledByOwner(clock.instant());
        endpoints.update(moved);
        List<EndpointSnapshot> published = new ArrayList<>();

        // when
        publications.publishChanged(100, published::addAll);

        // then
        assertThat(published).containsExactly(new EndpointSnapshot(endpoint.id(), org, 2, "https://receiver.test/moved",
                endpoint.signingKeys().current(), null, null, false, "disabled by its owner", 5, 2,
                Map.of("X-Tenant", "acme")));
    }

    @Test
    void aFailedPublishLeavesTheVersionsToPublishAgain() {
        // given
        Endpoint endpoint = db.newEndpoint(org, clock);

        // when
        assertThatThrownBy(() -> publications.publishChanged(100, batch -> {
            throw new java.io.IOException("broker gone");
        })).hasMessageContaining("stay unpublished");

        // then
        List<EndpointSnapshot> published = new ArrayList<>();
        publications.publishChanged(100, published::addAll);
        assertThat(published).extracting(EndpointSnapshot::id).containsExactly(endpoint.id());
    }
}
