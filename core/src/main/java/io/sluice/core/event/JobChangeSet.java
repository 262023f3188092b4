package io.sluice.core.event;

import java.util.List;

/**
 * The job changes one statement made, as PostgreSQL recorded them (a row of {@code job_changes},
 * up to 1,000 changes): one record on {@code sluice.events}, of type {@link #TYPE}. Its changes
 * share its {@code version}, which is unique to the set: a reader that has seen a version has
 * seen the whole set, however often it is delivered.
 *
 * <p>Every change says where its job was and where it is now, so the sets' moves add up to the
 * counts of jobs by state whatever order the sets are read in. They are all written with one
 * key ({@link #KEY}), so they share a partition and keep the order they were recorded in: a
 * job's changes are read in the order they were made.
 */
public record JobChangeSet(long version, List<JobStateChanged> changes) {

    public static final String TYPE = "job.changes";
    public static final String KEY = "job-changes";

    public JobChangeSet {
        changes = List.copyOf(changes);
    }
}
