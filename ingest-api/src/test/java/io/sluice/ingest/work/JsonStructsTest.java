package io.sluice.ingest.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
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

        ByteString wire = JsonStructs.wire(utf8(json)).orElseThrow();

        assertThat(Struct.parseFrom(wire)).isEqualTo(expected.build());
        assertThat(wire.toByteArray()).as("byte for byte").isEqualTo(expected.build().toByteArray());
    }

    @Test
    void messagesLongerThanOneLengthByteKeepTheirContent() throws Exception {
        String longText = "x".repeat(20_000);
        String json = "{\"pad\": \"" + longText + "\", \"inner\": {\"list\": [\"" + longText + "\", 1]}}";
        Struct.Builder expected = Struct.newBuilder();
        JsonFormat.parser().merge(json, expected);

        assertThat(Struct.parseFrom(JsonStructs.wire(utf8(json)).orElseThrow())).isEqualTo(expected.build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "null", "{\"a\": 1", "{} {}", "not json", ""})
    void whatIsNotOneObjectHasNoStruct(String json) {
        assertThat(JsonStructs.wire(utf8(json))).isEmpty();
    }

    @Test
    void stringsAreCopiedAsTheyAreOnlyWhenTheyHaveNoEscapes() throws Exception {
        String json = "{\"a\": \"tab\\there\", \"b\": \"naïve ☃\", \"c\": \"\\\"\", \"d\": \"\", \"e\": [\"x\\u0041\", \"y\"]}";
        Struct.Builder expected = Struct.newBuilder();
        JsonFormat.parser().merge(json, expected);

        Struct written = Struct.parseFrom(JsonStructs.wire(utf8(json)).orElseThrow());

        assertThat(written).isEqualTo(expected.build());
        assertThat(written.getFieldsOrThrow("a").getStringValue()).isEqualTo("tab\there");
        assertThat(written.getFieldsOrThrow("e").getListValue().getValues(0).getStringValue()).isEqualTo("xA");
    }

    @Test
    void noJsonHasNoStruct() {
        assertThat(JsonStructs.wire(null)).isEmpty();
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
