package io.sluice.core.job;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by
 * creation time, which keeps B-tree inserts at the right edge and lets {@code jobs} and
 * {@code attempts} be range-partitioned by id.
 */
public final class Uuid7 {

    private final Clock clock;
    private final RandomGenerator random;

    public Uuid7(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    public UUID next() {
        return at(clock.millis(), random.nextLong(), random.nextLong());
    }

    /** The smallest v7 id of the given instant: a partition bound. */
    public static UUID lowerBound(Instant instant) {
        long msb = (instant.toEpochMilli() << 16) | 0x7000L;
        return new UUID(msb, 0x8000_0000_0000_0000L);
    }

    public static Instant timestampOf(UUID id) {
        return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }

    static UUID at(long epochMillis, long randA, long randB) {
        long msb = (epochMillis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
