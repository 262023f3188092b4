package io.sluice.topology.stats;

import io.sluice.core.job.JobState;
import java.time.Instant;

/**
 * One job moved within one scope at {@code at}: it is counted in {@code to} and no longer in
 * {@code from} (null: it was not counted there before / is not counted there any more).
 *
 * @param fromSince when the job entered {@code from} (null with it, or when not known), for how
 *                  long jobs wait
 * @param since     when the job entered {@code to} (null: at {@code at})
 */
record StateMove(JobState from, JobState to, Instant at, Instant fromSince, Instant since) {
}
