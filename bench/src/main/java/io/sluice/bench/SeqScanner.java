package io.sluice.bench;

import java.nio.ByteBuffer;

/**
 * Finds the integer value of the {@code "seq"} key in a delivered webhook body without parsing it.
 *
 * <p>Why not Jackson: the receiver must sustain more than ten thousand deliveries a second on two
 * cores it shares with Sluice itself, Kafka and PostgreSQL. A full JSON parse of every ~1 KiB body
 * would cost the receiver more CPU than the number it extracts is worth, and that CPU would be
 * taken from the system under test. A byte scan is enough because the bench controls the payload:
 * its only numeric key called {@code seq} is the one we want.
 *
 * <p>The key is found wherever it sits: Sluice may reorder keys (PostgreSQL {@code jsonb} does)
 * or wrap the payload in an envelope, and it may even deliver it JSON-encoded as a string, so an
 * escaped key ({@code \"seq\":}) is accepted too.
 */
public final class SeqScanner {

    /** Returned when the body has no {@code "seq"} key with a non-negative integer value. */
    public static final long NOT_FOUND = -1;

    private SeqScanner() {
    }

    /** Scans the remaining bytes of {@code body} (its position is left unchanged). */
    public static long find(ByteBuffer body) {
        if (body.hasArray()) {
            return find(body.array(), body.arrayOffset() + body.position(), body.remaining());
        }
        byte[] copy = new byte[body.remaining()];
        body.duplicate().get(copy);
        return find(copy, 0, copy.length);
    }

    /** Scans a whole array. */
    public static long find(byte[] body) {
        return find(body, 0, body.length);
    }

    /** Scans {@code length} bytes of {@code body} starting at {@code offset}. */
    public static long find(byte[] body, int offset, int length) {
        int end = offset + length;
        // "seq" must be preceded by a quote, so start looking one byte in.
        for (int i = offset + 1; i + 2 < end; i++) {
            if (body[i] != 's' || body[i + 1] != 'e' || body[i + 2] != 'q' || body[i - 1] != '"') {
                continue;
            }
            int j = i + 3;
            if (j < end && body[j] == '\\') {
                j++;
            }
            if (j >= end || body[j] != '"') {
                continue;
            }
            j = skipWhitespace(body, j + 1, end);
            if (j >= end || body[j] != ':') {
                continue;
            }
            j = skipWhitespace(body, j + 1, end);
            long value = 0;
            int digits = 0;
            while (j < end && body[j] >= '0' && body[j] <= '9' && digits < 18) {
                value = value * 10 + (body[j] - '0');
                j++;
                digits++;
            }
            if (digits > 0) {
                return value;
            }
        }
        return NOT_FOUND;
    }

    private static int skipWhitespace(byte[] body, int from, int end) {
        int j = from;
        while (j < end && (body[j] == ' ' || body[j] == '\t' || body[j] == '\n' || body[j] == '\r')) {
            j++;
        }
        return j;
    }
}
