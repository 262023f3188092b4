package io.sluice.core.workflow;

/**
 * What the states of a waiting job's dependencies decide for it. Decided from counts alone, so
 * the store can evaluate every waiting dependant of a batch of ended jobs with one query.
 */
public sealed interface DependencyVerdict {

    /** Its dependencies are met: the job goes on its way. */
    record Release() implements DependencyVerdict {
    }

    /** Its dependencies can no longer be met: the job is cancelled, and so, in turn, its own dependants. */
    record Cancel(String reason) implements DependencyVerdict {
    }

    /** Not decided yet. */
    record Wait() implements DependencyVerdict {
    }

    /**
     * @param total     the job's dependencies
     * @param completed those that completed
     * @param failed    those that ended without completing (dead-lettered, failed for good, cancelled)
     */
    public static DependencyVerdict of(DependencyMode mode, int total, int completed, int failed) {
        if (total < 1 || completed < 0 || failed < 0 || completed + failed > total) {
            throw new IllegalArgumentException(
                    "counts out of range: total " + total + ", completed " + completed + ", failed " + failed);
        }
        return switch (mode) {
            case ALL -> failed > 0 ? new Cancel("a dependency did not complete")
                    : completed == total ? new Release() : new Wait();
            case ANY -> completed > 0 ? new Release()
                    : failed == total ? new Cancel("no dependency completed") : new Wait();
        };
    }
}
