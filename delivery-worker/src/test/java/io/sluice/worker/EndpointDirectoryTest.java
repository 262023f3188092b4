package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.kafka.EndpointSnapshot;
import io.sluice.core.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.util.unit.DataSize;

/** The directory keeps the newest version of each endpoint, whatever order the records come in. */
class EndpointDirectoryTest {

    private final EndpointDirectory directory = new EndpointDirectory(new KafkaProperties(),
            new WorkerProperties(true, "g", 10, 4, Duration.ofSeconds(1), Duration.ofMillis(200), "w", "r",
                    DataSize.ofMegabytes(1)),
            new Topics("sluice", 1, 1, (short) 1, List.of(Duration.ofSeconds(1)), Duration.ofDays(1)));
    private final UUID id = UUID.randomUUID();

    @Test
    void aNewerVersionReplacesAnOlderOneButNotTheOtherWayRound() {
        directory.apply(id.toString(), version(2, "https://a.test/two").encode());
        directory.apply(id.toString(), version(1, "https://a.test/one").encode());
        assertThat(directory.get(id).url()).isEqualTo("https://a.test/two");

        directory.apply(id.toString(), version(3, "https://a.test/three").encode());
        assertThat(directory.get(id).version()).isEqualTo(3);
    }

    @Test
    void aTombstoneForgetsTheEndpoint() {
        directory.apply(id.toString(), version(1, "https://a.test/one").encode());

        directory.apply(id.toString(), null);

        assertThat(directory.get(id)).isNull();
    }

    private EndpointSnapshot version(long version, String url) {
        return new EndpointSnapshot(id, UUID.randomUUID(), version, url, "whsec_dGVzdA", null, null, true, null, null, null, null);
    }
}
