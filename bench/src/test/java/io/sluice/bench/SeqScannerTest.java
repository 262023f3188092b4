package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SeqScannerTest {

    private static long scan(String body) {
        return SeqScanner.find(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void findsSeqAtTheStartOfTheBenchPayload() {
        assertThat(scan("{\"seq\":123,\"sent_at_nanos\":98765,\"pad\":\"xxxx\"}")).isEqualTo(123);
    }

    @Test
    void findsSeqAfterOtherKeysAndWithWhitespace() {
        // PostgreSQL jsonb puts "pad" before "seq" and prints a space after the colon.
        assertThat(scan("{\"pad\": \"xxxxxxxx\", \"seq\": 42, \"sent_at_nanos\": -5}")).isEqualTo(42);
    }

    @Test
    void findsSeqInsideAnEnvelopeOrAnEscapedString() {
        assertThat(scan("{\"type\":\"job\",\"data\":{\"seq\":7}}")).isEqualTo(7);
        assertThat(scan("{\"payload\":\"{\\\"seq\\\":99,\\\"pad\\\":\\\"x\\\"}\"}")).isEqualTo(99);
    }

    @Test
    void ignoresLookalikes() {
        assertThat(scan("{\"sequence\":5,\"seq_no\":6}")).isEqualTo(SeqScanner.NOT_FOUND);
        assertThat(scan("{\"name\":\"seq\",\"x\":1}")).isEqualTo(SeqScanner.NOT_FOUND);
        assertThat(scan("{\"seq\":\"abc\"}")).isEqualTo(SeqScanner.NOT_FOUND);
        assertThat(scan("{\"seq\":")).isEqualTo(SeqScanner.NOT_FOUND);
        assertThat(scan("")).isEqualTo(SeqScanner.NOT_FOUND);
        assertThat(scan("{\"sequence\":5,\"seq\":8}")).isEqualTo(8);
    }

    @Test
    void scansOnlyTheGivenRange() {
        byte[] bytes = "junk{\"seq\":31}junk".getBytes(StandardCharsets.UTF_8);
        assertThat(SeqScanner.find(bytes, 4, 10)).isEqualTo(31);
        assertThat(SeqScanner.find(bytes, 4, 8)).isEqualTo(3);
        assertThat(SeqScanner.find(ByteBuffer.wrap(bytes, 4, 10))).isEqualTo(31);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().position(4);
        assertThat(SeqScanner.find(direct)).isEqualTo(31);
        assertThat(direct.position()).isEqualTo(4);
    }

    @Test
    void readsTheSeqOfAGeneratedPayload() {
        PayloadFactory payloads = new PayloadFactory("bench", "e1", 1024);
        String payload = payloads.payload(49_999, System.nanoTime());
        assertThat(payload).hasSize(1024);
        assertThat(scan(payload)).isEqualTo(49_999);
    }
}
