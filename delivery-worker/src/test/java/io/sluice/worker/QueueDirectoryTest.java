package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.kafka.MalformedRecordException;
import io.sluice.core.kafka.QueueState;
import io.sluice.core.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.util.unit.DataSize;

/** The directory knows which queues are paused by their newest state, whatever order the records come in. */
class QueueDirectoryTest {

    private final QueueDirectory directory = new QueueDirectory(new KafkaProperties(),
            new WorkerProperties(true, "g", 10, 4, Duration.ofSeconds(1), Duration.ofMillis(200), "w", "r",
                    DataSize.ofMegabytes(1)),
            new Topics("sluice", 1, 1, (short) 1, List.of(Duration.ofSeconds(1)), Duration.ofDays(1)));
    private final UUID org = UUID.randomUUID();

    @Test
    void aQueueIsPausedByItsNewestStateOnly() {
        apply(new QueueState(org, "mail", 2, true, null));
        apply(new QueueState(org, "mail", 1, false, null));
        assertThat(directory.isPaused(org, "mail")).isTrue();
        assertThat(directory.isPaused(org, "other")).isFalse();
        assertThat(directory.isPaused(UUID.randomUUID(), "mail")).isFalse();

        apply(new QueueState(org, "mail", 3, false, 25));
        assertThat(directory.isPaused(org, "mail")).isFalse();
        assertThat(directory.rateLimit(org, "mail")).isEqualTo(25);
        assertThat(directory.rateLimit(org, "other")).isNull();
    }

    @Test
    void aStateSurvivesItsEncodingAndAnUnreadableOneIsRefused() {
        QueueState state = new QueueState(org, "a.b-c_d", 7, true, null);
        QueueState limited = new QueueState(org, "a.b-c_d", 8, false, 100);

        assertThat(QueueState.decode(state.key(), state.encode())).isEqualTo(state);
        assertThat(QueueState.decode(limited.key(), limited.encode())).isEqualTo(limited);
        assertThatThrownBy(() -> QueueState.decode(state.key(), "2|7|paused|-".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> QueueState.decode("no-slash", state.encode()))
                .isInstanceOf(MalformedRecordException.class);
    }

    private void apply(QueueState state) {
        directory.apply(state.key(), state.encode());
    }
}
