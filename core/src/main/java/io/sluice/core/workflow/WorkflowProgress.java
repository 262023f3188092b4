package io.sluice.core.workflow;

/**
 * A workflow's jobs counted by where they stand; its status follows from these counts and
 * whether a user cancelled it.
 *
 * @param total      every job of the workflow
 * @param completed  jobs that completed
 * @param failed     jobs given up (dead-lettered or failed for good), and jobs cancelled because a
 *                   dependency was: the ones a retry of the workflow runs again
 * @param tolerated  of the failed, jobs given up whose failure the workflow got past: each job
 *                   depending on them waited for any one of its dependencies, and went ahead
 * @param cancelled  jobs a user cancelled
 * @param processing jobs with an attempt under way
 * @param waiting    jobs not started yet: waiting for their time or their dependencies, or pending
 * @param started    whether any job has ever had an attempt
 */
public record WorkflowProgress(int total, int completed, int failed, int tolerated, int cancelled, int processing,
                               int waiting, boolean started) {

    public WorkflowProgress {
        if (completed + failed + cancelled + processing + waiting != total) {
            throw new IllegalArgumentException("the counts do not add up to " + total);
        }
        if (tolerated < 0 || tolerated > failed) {
            throw new IllegalArgumentException("tolerated failures must be some of the " + failed + " failed");
        }
    }

    public WorkflowStatus status(boolean cancelledByUser) {
        if (cancelledByUser) {
            return WorkflowStatus.CANCELLED;
        }
        if (completed + tolerated == total) {
            return WorkflowStatus.COMPLETED;
        }
        if (processing == 0 && waiting == 0) {
            return failed > tolerated ? WorkflowStatus.FAILED : WorkflowStatus.CANCELLED;
        }
        return started || completed + failed + cancelled > 0 ? WorkflowStatus.RUNNING : WorkflowStatus.PENDING;
    }

    /** Jobs done (completed, or failed in a way the workflow got past) as a whole percentage of all. */
    public int percentComplete() {
        return total == 0 ? 0 : (completed + tolerated) * 100 / total;
    }
}
