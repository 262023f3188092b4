package io.sluice.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueueNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"emails", "Emails_2", "_private", "9lives", "bench.workers", "a-b.c_d", "x"})
    void lettersDigitsAndUnderscoresWithDotsAndDashesAfterTheFirstAreValid(String name) {
        assertThat(QueueName.problemWith(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {".hidden", "-dash", "with space", "slash/name", "é", "emoji😀", "tab\t", "a:b"})
    void anyOtherCharacterOrALeadingDotOrDashIsRefused(String name) {
        assertThat(QueueName.problemWith(name)).isEqualTo("Queue name must be alphanumeric (with _ . -) and not start with . or -");
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 101})
    void aNameIsAtMostAHundredCharacters(int length) {
        String problem = QueueName.problemWith("q".repeat(length));

        assertThat(problem).isEqualTo(length <= QueueName.MAX_LENGTH ? null : "Queue name must be at most 100 characters");
    }

    @Test
    void anEmptyNameIsMissing() {
        assertThat(QueueName.problemWith("")).isEqualTo("Queue name is required");
        assertThat(QueueName.problemWith(null, "event_type")).isEqualTo("event_type is required");
    }
}
