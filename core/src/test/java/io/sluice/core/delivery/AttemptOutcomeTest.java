package io.sluice.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttemptOutcomeTest {

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void anySuccessStatusIsADelivery(int status) {
        assertThat(AttemptOutcome.ofStatus(status)).isEqualTo(new AttemptOutcome.Delivered(status));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 301, 302, 308, 400, 410, 429, 500, 503})
    void everyOtherStatusIncludingRedirectsIsAFailure(int status) {
        assertThat(AttemptOutcome.ofStatus(status)).isInstanceOfSatisfying(AttemptOutcome.Failed.class, failed -> {
            assertThat(failed.statusCode()).isEqualTo(status);
            assertThat(failed.errorClass()).isEqualTo("http_status");
        });
    }

    @Test
    void noResponseIsAFailureWithoutStatus() {
        assertThat(AttemptOutcome.ofError("timeout", "15 s")).isEqualTo(new AttemptOutcome.Failed(null, "timeout", "15 s"));
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void overloadAndServerErrorsCountAgainstTheReceiversHealth(int status) {
        assertThat(((AttemptOutcome.Failed) AttemptOutcome.ofStatus(status)).receiverUnhealthy()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 400, 401, 404, 410, 422})
    void anAnswerFromALiveReceiverDoesNot(int status) {
        assertThat(((AttemptOutcome.Failed) AttemptOutcome.ofStatus(status)).receiverUnhealthy()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout", "connect", "dns", "network"})
    void noAnswerAtAllCountsAgainstIt(String errorClass) {
        AttemptOutcome.Failed failed = (AttemptOutcome.Failed) AttemptOutcome.ofError(errorClass, "x");
        assertThat(failed.receiverUnhealthy()).isTrue();
        assertThat(failed.permanent()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssrf_blocked", "invalid_url", "signing"})
    void aFailureNoRetryCanCureSaysNothingAboutTheReceiver(String errorClass) {
        AttemptOutcome.Failed failed = (AttemptOutcome.Failed) AttemptOutcome.ofError(errorClass, "x");
        assertThat(failed.permanent()).isTrue();
        assertThat(failed.receiverUnhealthy()).isFalse();
    }
}
