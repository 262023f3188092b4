package io.sluice.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sluice.core.job.Uuid7;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.Endpoint;
import io.sluice.store.EndpointStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import java.util.List;
import java.util.UUID;
import io.sluice.ingest.auth.Caller;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** How long a job's endpoint is trusted to exist without asking the database again. */
class JobFactoryTest {

    private final UUID org = UUID.randomUUID();
    private final Caller caller = new Caller(org, UUID.randomUUID(), List.of(), null);
    private final UUID endpointId = UUID.randomUUID();
    private final EndpointStore endpoints = mock(EndpointStore.class);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-29T08:00:00Z"));
    private final JobFactory factory = new JobFactory(JsonMapper.builder().build(), endpoints, mock(CompletionEndpoints.class),
            new IngestProperties(1 << 20, 1000, Duration.ofHours(24), Duration.ofSeconds(15), Duration.ofHours(24),
                    new IngestProperties.GroupCommit(2, 1000, 10_000, Duration.ofSeconds(30)), 2000),
            new Uuid7(clock, new Random(1)), clock);

    @Test
    void anEndpointDeletedElsewhereIsRefusedOnceItsCacheEntryExpires() {
        // given: the endpoint exists, then is deleted through another node
        when(endpoints.get(org, endpointId)).thenReturn(Optional.of(webhookEndpoint()), Optional.empty());
        factory.create(caller, spec());
        factory.create(caller, spec());
        verify(endpoints, times(1)).get(org, endpointId);

        // when the cache entry has expired
        clock.now = clock.now.plus(JobFactory.KNOWN_ENDPOINT_TTL).plusMillis(1);

        // then the endpoint is looked up again and the job refused
        assertThatThrownBy(() -> factory.create(caller, spec())).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).contains("does not name an endpoint"));
    }

    @Test
    void anEndpointDeletedThroughThisNodeIsRefusedAtOnce() {
        when(endpoints.get(org, endpointId)).thenReturn(Optional.of(webhookEndpoint()), Optional.empty());
        factory.create(caller, spec());

        factory.forgetEndpoint(endpointId);

        assertThatThrownBy(() -> factory.create(caller, spec())).isInstanceOf(ApiException.class);
    }

    @Test
    void anOutgoingWebhookCannotBeGivenJobs() {
        Endpoint outgoing = Endpoint.forSystemEvents(endpointId, org, "https://hooks.example.com", "ops", "whsec_x",
                5000, java.util.List.of("job.completed"), clock.now);
        when(endpoints.get(org, endpointId)).thenReturn(Optional.of(outgoing));

        assertThatThrownBy(() -> factory.create(caller, spec())).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).contains("does not name an endpoint"));
    }

    private Endpoint webhookEndpoint() {
        return Endpoint.created(endpointId, org, "https://receiver.example.com", null, "whsec_x", 5000,
                io.sluice.core.delivery.EndpointLimits.NONE, java.util.List.of(), io.sluice.store.Subscription.ALL,
                java.util.Map.of(), Endpoint.Ordering.NONE, clock.now);
    }

    private JobFactory.Spec spec() {
        return new JobFactory.Spec("orders", "{\"n\":1}", null, null, null, null, null, null, null, endpointId.toString());
    }

    private static final class SettableClock extends Clock {
        Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
