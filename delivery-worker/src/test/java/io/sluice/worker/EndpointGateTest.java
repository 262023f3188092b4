package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.core.delivery.AttemptOutcome;
import io.sluice.core.delivery.EndpointLimits;
import io.sluice.core.delivery.RetrySchedule;
import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.webhook.SigningKeys;
import io.sluice.worker.EndpointGate.Admission;
import io.sluice.worker.EndpointGate.Pass;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** What the gate does with a delivery: start it, queue it, or defer it to the retry path. */
class EndpointGateTest {

    private static final AttemptOutcome OK = AttemptOutcome.ofStatus(200);
    private static final AttemptOutcome DOWN = AttemptOutcome.ofStatus(503);

    private final AtomicLong nanos = new AtomicLong();
    private final EndpointGate gate = new EndpointGate(
            new CircuitBreakerProperties(80, 10, 5, Duration.ofSeconds(30), 2),
            new WorkerProperties(true, "g", 2000, 64, Duration.ofSeconds(5), Duration.ofMillis(200), "w", "r",
                    DataSize.ofMegabytes(1)),
            RetrySchedule.parse("5s,5m", "5s,5m"), nanos::get);
    private final UUID endpoint = UUID.randomUUID();
    private final List<Pass> started = new ArrayList<>();

    @Test
    void aDeliveryToAHealthyEndpointStartsAtOnce() {
        Admission admission = gate.admit(delivery(EndpointLimits.NONE), started::add);

        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        assertThat(started).hasSize(1);
    }

    @Test
    void aNewEndpointGetsAFewDeliveriesAtOnceAndMoreAsTheySucceed() {
        // given
        for (int i = 0; i < 10; i++) {
            assertThat(gate.admit(delivery(EndpointLimits.NONE), started::add)).isInstanceOf(Admission.Accepted.class);
        }
        assertThat(started).hasSize(AdaptiveLimit.INITIAL);

        // when
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
        started.getFirst().finished(OK);

        // then: the limit grew to five, and three were still running
        assertThat(started).hasSize(AdaptiveLimit.INITIAL + 2);
    }

    @Test
    void beyondItsConcurrencyDeliveriesQueueAndStartAsOthersFinish() {
        // given: two at a time
        EndpointLimits two = new EndpointLimits(null, 2);
        for (int i = 0; i < 3; i++) {
            assertThat(gate.admit(delivery(two), started::add)).isInstanceOf(Admission.Accepted.class);
        }
        assertThat(started).as("the third waits").hasSize(2);

        // when
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(20));
        started.getFirst().finished(OK);

        // then
        assertThat(started).hasSize(3);
    }

    @Test
    void aDeliveryThatWouldWaitLongerThanTheShortestTierIsDeferredWithoutStarting() {
        // given: one at a time, and deliveries that take 3 s each
        EndpointLimits one = new EndpointLimits(null, 1);
        gate.admit(delivery(one), started::add);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(3));
        gate.admit(delivery(one), started::add);
        started.getFirst().finished(OK);
        assertThat(started).hasSize(2);

        // when: one more would wait behind the running one (3 s) and one queued (3 s): over 5 s
        assertThat(gate.admit(delivery(one), started::add)).isInstanceOf(Admission.Accepted.class);
        Admission fourth = gate.admit(delivery(one), started::add);

        // then
        assertThat(fourth).isInstanceOfSatisfying(Admission.Deferred.class,
                deferred -> assertThat(deferred.reason()).isEqualTo("endpoint busy"));
        assertThat(started).hasSize(2);
    }

    @Test
    void aReceiverThatStoppedAnsweringIsJudgedByItsOldestRunningDelivery() {
        // given: fast so far, then a delivery that has been running for 4 s
        EndpointLimits one = new EndpointLimits(null, 1);
        gate.admit(delivery(one), started::add);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
        started.getFirst().finished(OK);
        gate.admit(delivery(one), started::add);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(4));

        // when: a queued one would wait at least 4 s, a second 8 s
        Admission queued = gate.admit(delivery(one), started::add);
        Admission deferred = gate.admit(delivery(one), started::add);

        // then
        assertThat(queued).isInstanceOf(Admission.Accepted.class);
        assertThat(deferred).isInstanceOf(Admission.Deferred.class);
    }

    @Test
    void anOpenCircuitDefersForItsWaitWithoutStarting() {
        // given: five failures out of five
        for (int i = 0; i < 5; i++) {
            gate.admit(delivery(EndpointLimits.NONE), started::add);
        }
        finishAll(DOWN);

        // when
        Admission admission = gate.admit(delivery(EndpointLimits.NONE), started::add);

        // then
        assertThat(admission).isEqualTo(new Admission.Deferred(Duration.ofSeconds(30), "circuit open", false));
        assertThat(started).isEmpty();
    }

    @Test
    void itTellsWhereEachEndpointsCircuitStands() {
        for (int i = 0; i < 5; i++) {
            gate.admit(delivery(EndpointLimits.NONE), started::add);
        }
        assertThat(gate.circuits()).singleElement().satisfies(circuit -> {
            assertThat(circuit.endpointId()).isEqualTo(endpoint);
            assertThat(circuit.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        });

        finishAll(DOWN);

        assertThat(gate.circuits()).extracting(EndpointGate.Circuit::state).containsExactly(CircuitBreaker.State.OPEN);
    }

    @Test
    void answersFromALiveReceiverDoNotOpenTheCircuit() {
        for (int i = 0; i < 10; i++) {
            gate.admit(delivery(EndpointLimits.NONE), started::add);
        }
        finishAll(AttemptOutcome.ofStatus(404));

        assertThat(gate.admit(delivery(EndpointLimits.NONE), started::add)).isInstanceOf(Admission.Accepted.class);
    }

    @Test
    void theRateLimitBooksALaterStartAndABookedDeliveryIsNotCountedAgain() {
        // given: one delivery per second, the first just started
        EndpointLimits perSecond = new EndpointLimits(1, null);
        assertThat(gate.admit(delivery(perSecond), started::add)).isInstanceOf(Admission.Accepted.class);

        // when
        DeliveryMessage second = delivery(perSecond);
        Admission admission = gate.admit(second, started::add);

        // then: it is deferred to the slot it was given, and starts when it comes back
        assertThat(admission).isInstanceOfSatisfying(Admission.Deferred.class, deferred -> {
            assertThat(deferred.slotReserved()).isTrue();
            assertThat(deferred.delay()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        });
        assertThat(gate.admit(second.deferredTo(Instant.now(), true), started::add))
                .isInstanceOf(Admission.Accepted.class);
        assertThat(started).hasSize(2);
    }

    /** Finishes every started delivery with {@code outcome}, including those that start meanwhile. */
    private void finishAll(AttemptOutcome outcome) {
        for (int i = 0; i < started.size(); i++) {
            started.get(i).finished(outcome);
        }
        started.clear();
    }

    private DeliveryMessage delivery(EndpointLimits limits) {
        return DeliveryMessage.first(UUID.randomUUID(), UUID.randomUUID(), endpoint, "q", "https://example.com/hook",
                SigningKeys.of("whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"), Map.of(), 5_000, limits, 1, List.of(), 3, "{}".getBytes(StandardCharsets.UTF_8));
    }
}
