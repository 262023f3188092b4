package io.sluice.store;

import java.time.Duration;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a transaction again when PostgreSQL rolled it back to settle a lock conflict: it was a
 * deadlock's victim, or could not serialize. Paths that end jobs lock a job, then the jobs that
 * wait for it; a user's cancel and a projector batch ending another job of the same workflow can
 * meet in the other order, and PostgreSQL picks one to fail. Its work is whole or absent, so it
 * is safe to do again; after {@value #RETRIES} more tries the conflict goes to the caller.
 */
final class ConflictRetry {

    static final int RETRIES = 3;

    private static final RetryTemplate RETRY = new RetryTemplate(RetryPolicy.builder()
            .includes(PessimisticLockingFailureException.class)
            .maxRetries(RETRIES)
            .delay(Duration.ofMillis(20))
            .multiplier(2)
            .jitter(Duration.ofMillis(10))
            .build());

    private ConflictRetry() {
    }

    /** {@code work} in a transaction of {@code tx}, which must not join one already open. */
    static <T> T inTransaction(TransactionTemplate tx, TransactionCallback<T> work) {
        try {
            return RETRY.execute(() -> tx.execute(work));
        } catch (RetryException e) {
            if (e.getCause() instanceof RuntimeException conflict) {
                throw conflict;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
