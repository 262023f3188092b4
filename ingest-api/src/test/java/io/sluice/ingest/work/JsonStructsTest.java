package io.sluice.ingest.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonStructsTest {

    @Test
    void anObjectIsWrittenAsProtobufWritesTheStructItsOwnParserReads() throws Exception {
        String json = """
                {"to": "ada@example.com", "n": 3, "ratio": -0.25, "big": 12345678901, "ok": true, "no": false,
                 "nothing": null, "tags": ["a", 1, {"deep": [[]]}, null], "nested": {"empty": {}, "list": []},
                 "unicode": "\\u00e9t\\u00e9 \\ud83d\\ude00", "escaped": "line\\nbreak \\"quoted\\"",
                 "raw": "été 😀 ß", "ascii": "plain text, byte for byte", "": ""}""";
        Struct.Builder expected = Struct.newBuilder();
        JsonFormat.parser().merge(json, expected);

        ByteString wire = JsonStructs.wire(json).orElseThrow();

        assertThat(Struct.parseFrom(wire)).isEqualTo(expected.build());
        assertThat(wire.toByteArray()).as("byte for byte").isEqualTo(expected.build().toByteArray());
    }

    @Test
    void messagesLongerThanOneLengthByteKeepTheirContent() throws Exception {
        String longText = "x".repeat(20_000);
        String json = "{\"pad\": \"" + longText + "\", \"inner\": {\"list\": [\"" + longText + "\", 1]}}";
        Struct.Builder expected = Struct.newBuilder();
        JsonFormat.parser().merge(json, expected);

        assertThat(Struct.parseFrom(JsonStructs.wire(json).orElseThrow())).isEqualTo(expected.build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "null", "{\"a\": 1", "{} {}", "not json", ""})
    void whatIsNotOneObjectHasNoStruct(String json) {
        assertThat(JsonStructs.wire(json)).isEmpty();
    }

    @Test
    void noJsonHasNoStruct() {
        assertThat(JsonStructs.wire(null)).isEmpty();
    }
}
