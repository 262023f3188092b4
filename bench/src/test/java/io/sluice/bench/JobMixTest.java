package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class JobMixTest {

    @Test
    void spreadsTheSlowJobsEvenlyAndNumbersHealthyJobsInOrder() {
        // given: 10 % of 1,000 jobs slow
        JobMix mix = new JobMix(900, 100);

        // then
        assertThat(mix.total()).isEqualTo(1_000);
        Set<Long> healthySeqs = new HashSet<>();
        Set<Long> slowSeqs = new HashSet<>();
        long lastHealthy = -1;
        for (int bulk = 0; bulk < 10; bulk++) {
            int slowInBulk = 0;
            for (int position = bulk * 100; position < (bulk + 1) * 100; position++) {
                long seq = mix.seq(position);
                if (mix.isSlow(position)) {
                    slowInBulk++;
                    slowSeqs.add(seq);
                } else {
                    assertThat(seq).isEqualTo(lastHealthy + 1);
                    lastHealthy = seq;
                    healthySeqs.add(seq);
                }
            }
            assertThat(slowInBulk).as("slow jobs in bulk request %d", bulk).isEqualTo(10);
        }
        assertThat(healthySeqs).hasSize(900).allMatch(seq -> seq < 900);
        assertThat(slowSeqs).hasSize(100).allMatch(seq -> seq >= 900 && seq < 1_000);
    }

    @Test
    void withoutSlowJobsPositionIsSeq() {
        JobMix mix = new JobMix(50, 0);
        for (int position = 0; position < 50; position++) {
            assertThat(mix.isSlow(position)).isFalse();
            assertThat(mix.seq(position)).isEqualTo(position);
        }
    }

    @Test
    void mixedBodiesAddressSlowJobsToTheirOwnEndpoint() {
        // given
        JobMix mix = new JobMix(9, 1);
        MixedBodies bodies = new MixedBodies(new PayloadFactory("q", "healthy", 40), mix, "slow");

        // when
        String body = bodies.body(0, 10, 5);

        // then
        assertThat(body).startsWith("{\"queue_name\":\"q\",\"endpoint_id\":\"healthy\",\"jobs\":[{\"payload\":{\"seq\":0,");
        assertThat(body.split("\"endpoint_id\":\"slow\"", -1)).hasSize(2);
        assertThat(body).contains("{\"seq\":9,").endsWith("}]}");
        assertThat(SeqScanner.find(body.getBytes(StandardCharsets.UTF_8))).isZero();
    }

    @Test
    void bulkBodiesCarryDefaultMaxRetriesWhenGiven() {
        assertThat(new PayloadFactory("q", "e", 40, 10).bulkBody(0, 1, 5))
                .startsWith("{\"queue_name\":\"q\",\"endpoint_id\":\"e\",\"default_max_retries\":10,\"jobs\":[{\"payload\":");
        assertThat(new PayloadFactory("q", "e", 40).bulkBody(0, 2, 5))
                .startsWith("{\"queue_name\":\"q\",\"endpoint_id\":\"e\",\"jobs\":[{\"payload\":{\"seq\":0,")
                .contains("}},{\"payload\":{\"seq\":1,");
    }
}
