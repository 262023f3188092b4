package io.sluice.bench;

/**
 * The benchmark cannot produce a trustworthy figure (Sluice refused a request, answered something
 * unexpected, ...). Why a dedicated type: {@link DeliveryBenchmark} turns it into a loud message and
 * a non-zero exit code instead of a stack trace, and never writes a results section after it.
 */
public final class BenchFailure extends RuntimeException {

    public BenchFailure(String message) {
        super(message);
    }

    public BenchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
