package io.sluice.store;

/** Hands a claimed batch to its publisher inside the claim's transaction. */
final class HandOver {

    /** A publisher's call: returns once Kafka has every record, or throws. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private HandOver() {
    }

    /** Runs the call; a checked failure is rethrown unchecked, so the transaction rolls back and the batch stays unpublished. */
    static void run(Call call, String what) {
        try {
            call.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("publishing " + what + " failed; they stay unpublished", e);
        }
    }
}
