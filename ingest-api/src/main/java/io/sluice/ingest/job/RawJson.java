package io.sluice.ingest.job;

import io.sluice.ingest.web.JsonBodyConverter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.UTF8StreamJsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A JSON value of a request body kept as JSON text (a job's payload). An object or array read
 * by {@link JsonBodyConverter} is the body's own bytes for it, as the client sent them (the
 * bytes delivered and signed); otherwise its tokens are copied to text as the body is read.
 * Reading it into a tree and writing the tree out again took a quarter of the time of a bulk
 * request. An explicit {@code null} is the text {@code null}; an absent field is no value.
 */
@JsonDeserialize(using = RawJson.Reader.class)
@Schema(description = "Any JSON value", implementation = Object.class)
public record RawJson(String text) {

    /** @return the value's text; null for no value */
    public static String text(RawJson value) {
        return value == null ? null : value.text();
    }

    static final class Reader extends ValueDeserializer<RawJson> {

        private static final JsonFactory JSON = new JsonFactory();

        @Override
        public RawJson deserialize(JsonParser parser, DeserializationContext context) {
            // Only the parser reading the body itself knows where in it a value starts and ends
            // (one replaying buffered tokens does not).
            if (context.getAttribute(JsonBodyConverter.BODY) instanceof byte[] body
                    && parser instanceof UTF8StreamJsonParser && parser.currentToken().isStructStart()) {
                int start = (int) parser.currentTokenLocation().getByteOffset();
                if (start >= 0) {
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getByteOffset();
                    return new RawJson(new String(body, start, end - start, StandardCharsets.UTF_8));
                }
            }
            StringWriter text = new StringWriter();
            try (JsonGenerator out = JSON.createGenerator(ObjectWriteContext.empty(), text)) {
                out.copyCurrentStructure(parser);
            }
            return new RawJson(text.toString());
        }

        @Override
        public RawJson getNullValue(DeserializationContext context) {
            return new RawJson("null");
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }
}
