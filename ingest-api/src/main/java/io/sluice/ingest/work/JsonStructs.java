package io.sluice.ingest.work;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Stored JSON objects (payloads, results) written as {@code google.protobuf.Struct}s on the wire,
 * in one streaming pass and without building the Struct: the bytes protobuf would write for it.
 * Every job handed to a {@code spooled.v1} worker goes through here. Building Structs and then
 * serialising them was a fifth of a ProcessJobs stream's time; protobuf's own {@code JsonFormat}
 * parser cost several times as much again. Numbers become doubles, as {@code Struct} holds them.
 */
final class JsonStructs {

    private static final JsonFactory JSON = new JsonFactory();

    private static final int STRUCT_FIELD = tag(Struct.FIELDS_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int ENTRY_KEY = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int ENTRY_VALUE = tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int LIST_VALUE = tag(ListValue.VALUES_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int NULL = tag(Value.NULL_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
    private static final int NUMBER = tag(Value.NUMBER_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_FIXED64);
    private static final int STRING = tag(Value.STRING_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int BOOL = tag(Value.BOOL_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
    private static final int OBJECT = tag(Value.STRUCT_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int ARRAY = tag(Value.LIST_VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);

    private JsonStructs() {
    }

    /**
     * @param json a JSON text as UTF-8, as stored
     * @return the object as the wire form of a Struct; empty for null, for JSON that is not one
     * object, and for text that is not JSON
     */
    static Optional<ByteString> wire(byte[] json) {
        if (json == null) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Wire out = new Wire(json.length + 64);
            fields(parser, json, out);
            return parser.nextToken() == null ? Optional.of(out.bytes()) : Optional.empty();
        } catch (JacksonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The object the parser is at the start of, up to and with its end, as a Struct's map entries. */
    private static void fields(JsonParser parser, byte[] json, Wire out) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            int entry = out.open(STRUCT_FIELD);
            out.string(ENTRY_KEY, parser.currentName());
            parser.nextToken();
            int value = out.open(ENTRY_VALUE);
            value(parser, json, out);
            out.close(value);
            out.close(entry);
        }
    }

    /** The value the parser is at, as the fields of a {@code Value}. */
    private static void value(JsonParser parser, byte[] json, Wire out) {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                int struct = out.open(OBJECT);
                fields(parser, json, out);
                out.close(struct);
            }
            case START_ARRAY -> {
                int list = out.open(ARRAY);
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    int item = out.open(LIST_VALUE);
                    value(parser, json, out);
                    out.close(item);
                }
                out.close(list);
            }
            case VALUE_STRING -> string(parser, json, out);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.number(NUMBER, parser.getDoubleValue());
            case VALUE_TRUE -> out.varint(BOOL, 1);
            case VALUE_FALSE -> out.varint(BOOL, 0);
            case VALUE_NULL -> out.varint(NULL, 0);
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        }
    }

    /**
     * A string value as UTF-8. One without escapes (most payload text) is its JSON bytes between
     * the quotes, copied as they are: the parser has not decoded it, and will only skip it.
     */
    private static void string(JsonParser parser, byte[] json, Wire out) {
        int start = (int) parser.currentTokenLocation().getByteOffset() + 1; // after the opening quote
        for (int end = start; end < json.length; end++) {
            byte b = json[end];
            if (b == '"') {
                out.bytes(STRING, json, start, end - start);
                return;
            }
            if (b == '\\') {
                break;
            }
        }
        out.string(STRING, parser.getString());
    }

    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /**
     * Protobuf's wire form, written front to back. A message's length goes before it but is known
     * only after it, so {@link #close} moves the message along to make room for its length: a
     * byte or two, over a payload nested a level or two deep.
     */
    private static final class Wire {

        private byte[] buffer;
        private int size;

        Wire(int capacity) {
            buffer = new byte[capacity];
        }

        /** Starts a length-delimited field. @return where its content starts, for {@link #close} */
        int open(int tag) {
            rawVarint(tag);
            return size;
        }

        /** Puts the length of the field opened at {@code start} before its content. */
        void close(int start) {
            int length = size - start;
            int lengthSize = varintSize(length);
            room(lengthSize);
            System.arraycopy(buffer, start, buffer, start + lengthSize, length);
            int end = size + lengthSize;
            size = start;
            rawVarint(length);
            size = end;
        }

        void varint(int tag, long value) {
            rawVarint(tag);
            rawVarint(value);
        }

        void number(int tag, double value) {
            rawVarint(tag);
            room(8);
            long bits = Double.doubleToRawLongBits(value);
            for (int i = 0; i < 8; i++) {
                buffer[size++] = (byte) (bits >>> (8 * i));
            }
        }

        void string(int tag, String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            bytes(tag, utf8, 0, utf8.length);
        }

        void bytes(int tag, byte[] bytes, int offset, int length) {
            rawVarint(tag);
            rawVarint(length);
            room(length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
        }

        ByteString bytes() {
            return UnsafeByteOperations.unsafeWrap(buffer, 0, size);
        }

        private void rawVarint(long value) {
            room(10);
            while ((value & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[size++] = (byte) value;
        }

        private static int varintSize(int value) {
            return (38 - Integer.numberOfLeadingZeros(value | 1)) / 7;
        }

        private void room(int bytes) {
            if (size + bytes > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + bytes));
            }
        }
    }
}
