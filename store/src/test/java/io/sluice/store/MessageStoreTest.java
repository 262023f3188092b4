package io.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.job.Uuid7;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Publishing a message: one delivery job per subscribed, enabled endpoint, all in one transaction. */
class MessageStoreTest {

    private final StoreTestSupport db = StoreTestSupport.get();
    private final MutableClock clock = MutableClock.startingNow();
    private final Uuid7 ids = new Uuid7(clock, ThreadLocalRandom.current());
    private final JobStore jobs = new JobStore(db.jdbc, db.tx, clock, new JobDefaults(3));
    private final MessageStore messages = new MessageStore(db.jdbc);
    private final IngestStore ingest = new IngestStore(db.jdbc, db.tx, jobs, messages, db.systemEvents(clock), clock);
    private final EndpointStore endpoints = new EndpointStore(db.jdbc);
    private final UUID org = db.newOrganization(clock);

    @Test
    void aMessageGoesToEveryEnabledEndpointSubscribedToItsTypeAndChannel() {
        // given
        Endpoint all = endpoint(Subscription.ALL);
        Endpoint paid = endpoint(new Subscription(List.of("invoice.paid", "invoice.sent"), List.of(), null));
        Endpoint other = endpoint(new Subscription(List.of("invoice.sent"), List.of(), null));
        Endpoint euOnly = endpoint(new Subscription(List.of(), List.of("eu"), null));
        Endpoint usOnly = endpoint(new Subscription(List.of(), List.of("us"), null));
        Endpoint disabled = endpoint(Subscription.ALL);
        endpoints.update(disabledCopy(disabled));
        NewMessage message = message("invoice.paid", List.of("eu"), null);

        // when
        PublishedMessage published = publish(message, s -> Optional.of(delivery(message, s.endpointId())));

        // then
        assertThat(published.created()).isTrue();
        assertThat(published.jobIds()).hasSize(3);
        Message stored = messages.get(org, message.id()).orElseThrow();
        assertThat(stored.deliveries()).extracting(Message.Delivery::endpointId)
                .containsExactlyInAnyOrder(all.id(), paid.id(), euOnly.id())
                .doesNotContain(other.id(), usOnly.id(), disabled.id());
        assertThat(stored.deliveries()).extracting(Message.Delivery::state).containsOnly("pending");
        assertThat(stored.channels()).containsExactly("eu");
        assertThat(stored.payload()).isEqualTo("{\"amount\": 42}");
        for (UUID job : published.jobIds()) {
            assertThat(db.count("SELECT count(*) FROM outbox WHERE job_id = ?", job)).isEqualTo(1);
            assertThat(jobs.get(org, job).orElseThrow().queueName()).isEqualTo("invoice.paid");
            // the payload is stored once, with the message, and read through it
            assertThat(jobs.get(org, job).orElseThrow().payload()).isEqualTo("{\"amount\": 42}");
            assertThat(db.count("SELECT count(*) FROM jobs WHERE id = ? AND payload IS NULL", job)).isEqualTo(1);
        }
    }

    @Test
    void aMessageWithoutChannelsSkipsEndpointsThatNameChannels() {
        endpoint(new Subscription(List.of(), List.of("eu"), null));
        Endpoint all = endpoint(Subscription.ALL);
        NewMessage message = message("invoice.paid", List.of(), null);

        PublishedMessage published = publish(message, s -> Optional.of(delivery(message, s.endpointId())));

        assertThat(messages.get(org, published.messageId()).orElseThrow().deliveries())
                .extracting(Message.Delivery::endpointId).containsExactly(all.id());
    }

    @Test
    void eachSubscriberComesWithItsPayloadFilterAndOneItRefusesGetsNoJob() {
        Endpoint filtered = endpoint(new Subscription(List.of(), List.of(), "{\"amount\": {\"$gt\": 100}}"));
        Endpoint open = endpoint(Subscription.ALL);
        NewMessage message = message("invoice.paid", List.of(), null);
        java.util.Map<UUID, String> seen = new java.util.HashMap<>();

        PublishedMessage published = publish(message, s -> {
            seen.put(s.endpointId(), s.payloadFilter());
            return s.payloadFilter() == null ? Optional.of(delivery(message, s.endpointId())) : Optional.empty();
        });

        assertThat(seen).containsEntry(open.id(), null);
        assertThat(seen.get(filtered.id())).contains("$gt");
        assertThat(published.jobIds()).hasSize(1);
        assertThat(endpoints.get(org, filtered.id()).orElseThrow().subscription().payloadFilter()).contains("$gt");
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersWithTheEarlierMessageAndWritesNothing() {
        endpoint(Subscription.ALL);
        NewMessage first = message("invoice.paid", List.of(), "invoice-7-paid");
        PublishedMessage original = publish(first, s -> Optional.of(delivery(first, s.endpointId())));
        NewMessage again = message("invoice.paid", List.of(), "invoice-7-paid");

        PublishedMessage repeated = publish(again, s -> Optional.of(delivery(again, s.endpointId())));

        assertThat(repeated).isEqualTo(new PublishedMessage(first.id(), original.jobIds(), false));
        assertThat(db.count("SELECT count(*) FROM messages WHERE organization_id = ?", org)).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org)).isEqualTo(1);
    }

    @Test
    void aFailureWhileWritingTheDeliveriesLeavesNoMessageAndNoJob() {
        // given: the second delivery cannot be written (its organization does not exist)
        endpoint(Subscription.ALL);
        endpoint(Subscription.ALL);
        NewMessage message = message("invoice.paid", List.of(), null);
        int[] made = {0};

        // when
        assertThatThrownBy(() -> publish(message, s -> Optional.of(made[0]++ == 0
                ? delivery(message, s.endpointId())
                : new NewJob(ids.next(), UUID.randomUUID(), "elsewhere", "{}", s.endpointId(), 0, null, null, null, null,
                        null, message.id()))))
                .isInstanceOf(RuntimeException.class);

        // then
        assertThat(messages.get(org, message.id())).isEmpty();
        assertThat(db.count("SELECT count(*) FROM jobs WHERE message_id = ?", message.id())).isZero();
    }

    @Test
    void oneCommitWritesPlainJobsAndMessagesTogether() {
        Endpoint endpoint = endpoint(Subscription.ALL);
        NewJob plain = new NewJob(ids.next(), org, "emails", "{}", endpoint.id(), 0, null, null, "mail-1", null, null,
                null);
        NewMessage first = message("invoice.paid", List.of(), "b-key");
        NewMessage second = message("invoice.sent", List.of(), "a-key");

        IngestStore.Written written = ingest.write(List.of(plain), List.of(
                new IngestStore.MessageToPublish(first, s -> Optional.of(delivery(first, s.endpointId()))),
                new IngestStore.MessageToPublish(second, s -> Optional.of(delivery(second, s.endpointId())))), Duration.ofHours(1));

        assertThat(written.jobs()).containsExactly(new InsertedJob(plain.id(), true));
        assertThat(written.messages()).extracting(PublishedMessage::messageId).containsExactly(first.id(), second.id());
        assertThat(written.messages()).allSatisfy(m -> assertThat(m.jobIds()).hasSize(1));
        assertThat(db.count("SELECT count(*) FROM jobs WHERE organization_id = ?", org)).isEqualTo(3);
    }

    private PublishedMessage publish(NewMessage message,
                                     java.util.function.Function<Subscriber, Optional<NewJob>> deliveryTo) {
        return ingest.write(List.of(), List.of(new IngestStore.MessageToPublish(message, deliveryTo)), Duration.ofHours(1))
                .messages().getFirst();
    }

    private NewMessage message(String eventType, List<String> channels, String key) {
        return new NewMessage(ids.next(), org, eventType, "{\"amount\": 42}", channels, key);
    }

    private NewJob delivery(NewMessage message, UUID endpointId) {
        return new NewJob(ids.next(), org, message.eventType(), message.payload(), endpointId, 0, null, null, null,
                null, null, message.id());
    }

    private Endpoint endpoint(Subscription subscription) {
        Endpoint endpoint = Endpoint.created(UUID.randomUUID(), org, "https://receiver.test/" + UUID.randomUUID(), null,
                "whsec_dGVzdA", 5_000, EndpointLimits.NONE, List.of(), subscription, Map.of(), Endpoint.Ordering.NONE,
                clock.instant());
        endpoints.create(endpoint);
        return endpoint;
    }

    private Endpoint disabledCopy(Endpoint e) {
        return e.disabledByOwner(clock.instant());
    }
}
