package io.sluice.ingest.work;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Stored JSON objects (payloads, results) read into {@code google.protobuf.Struct}s with one
 * streaming pass. Every job handed to a {@code spooled.v1} worker goes through here, where
 * protobuf's own {@code JsonFormat} parser cost several times as much. Numbers become doubles,
 * as {@code Struct} holds them.
 */
final class JsonStructs {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonStructs() {
    }

    /** @return the object as a Struct; empty for null, for JSON that is not one object, and for text that is not JSON */
    static Optional<Struct> parse(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Struct struct = struct(parser);
            return parser.nextToken() == null ? Optional.of(struct) : Optional.empty();
        } catch (JacksonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The object the parser is at the start of, up to and with its end. */
    private static Struct struct(JsonParser parser) {
        Struct.Builder struct = Struct.newBuilder();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            struct.putFields(name, value(parser));
        }
        return struct.build();
    }

    /**
     * The string the parser is at, as UTF-8, read from the parser's own buffer: an ASCII one
     * (most payload text) byte for byte, without making a {@code String} of it to encode.
     */
    private static ByteString utf8(JsonParser parser) {
        char[] chars = parser.getStringCharacters();
        int offset = parser.getStringOffset();
        int length = parser.getStringLength();
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            char c = chars[offset + i];
            if (c >= 0x80) {
                return ByteString.copyFromUtf8(new String(chars, offset, length));
            }
            bytes[i] = (byte) c;
        }
        return UnsafeByteOperations.unsafeWrap(bytes);
    }

    private static Value value(JsonParser parser) {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> Value.newBuilder().setStructValue(struct(parser)).build();
            case START_ARRAY -> {
                ListValue.Builder list = ListValue.newBuilder();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.addValues(value(parser));
                }
                yield Value.newBuilder().setListValue(list).build();
            }
            // As UTF-8 bytes at once: protobuf, given the text, measures and writes it char by
            // char as it sends every job (a fifth of a ProcessJobs stream's time went there with
            // a payload of one long string).
            case VALUE_STRING -> Value.newBuilder().setStringValueBytes(utf8(parser)).build();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Value.newBuilder().setNumberValue(parser.getDoubleValue()).build();
            case VALUE_TRUE -> Value.newBuilder().setBoolValue(true).build();
            case VALUE_FALSE -> Value.newBuilder().setBoolValue(false).build();
            case VALUE_NULL -> Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        };
    }
}
