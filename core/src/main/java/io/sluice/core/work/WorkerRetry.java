package io.sluice.core.work;

import io.sluice.core.delivery.RetrySchedule;
import java.time.Duration;

/**
 * What becomes of a worker's job whose attempt failed (or whose lease ran out): tried again
 * after its queue's retry delay while retries are left and the worker did not say otherwise,
 * else dead-lettered. No jitter: the delay told to the worker is the delay applied.
 */
public final class WorkerRetry {

    public sealed interface Next {
        record Retry(Duration delay) implements Next {
        }

        record DeadLetter(String reason) implements Next {
        }
    }

    private WorkerRetry() {
    }

    /**
     * @param retriesDone   retries the job had before this failure
     * @param maxRetries    the job's {@code max_retries}
     * @param retryWanted   false: the worker asked for no retry
     */
    public static Next after(RetrySchedule schedule, int retriesDone, int maxRetries, boolean retryWanted, String error) {
        if (!retryWanted) {
            return new Next.DeadLetter("the worker asked for no retry: " + error);
        }
        if (retriesDone >= maxRetries) {
            return new Next.DeadLetter("gave up after " + (retriesDone + 1) + " attempt" + (retriesDone == 0 ? "" : "s")
                    + "; last: " + error);
        }
        return new Next.Retry(schedule.delayAfter(retriesDone + 1).orElse(Duration.ZERO));
    }
}
