package io.sluice.ingest.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonStructsTest {

    @Test
    void anObjectReadsAsProtobufsOwnParserReadsIt() throws Exception {
        String json = """
                {"to": "ada@example.com", "n": 3, "ratio": -0.25, "big": 12345678901, "ok": true, "no": false,
                 "nothing": null, "tags": ["a", 1, {"deep": [[]]}, null], "nested": {"empty": {}, "list": []},
                 "unicode": "\\u00e9t\\u00e9 \\ud83d\\ude00", "escaped": "line\\nbreak \\"quoted\\"",
                 "raw": "été 😀 ß", "ascii": "plain text, byte for byte", "": ""}""";
        Struct.Builder builder = Struct.newBuilder();
        JsonFormat.parser().merge(json, builder);

        assertThat(JsonStructs.parse(json)).contains(builder.build());
        assertThat(JsonStructs.parse(json).orElseThrow().toByteArray()).as("the same on the wire")
                .isEqualTo(builder.build().toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "null", "{\"a\": 1", "{} {}", "not json", ""})
    void whatIsNotOneObjectHasNoStruct(String json) {
        assertThat(JsonStructs.parse(json)).isEmpty();
    }

    @Test
    void noJsonHasNoStruct() {
        assertThat(JsonStructs.parse(null)).isEmpty();
    }
}
