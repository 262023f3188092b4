package io.sluice.ingest.job;

import io.sluice.ingest.job.JobViews.JobView;
import io.sluice.store.DependencyStore;
import io.sluice.store.JobDependencies;
import io.sluice.store.JobRecord;
import io.sluice.store.JobStore;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reads what the full job view shows beside the job's row: attempts, callback URL, workflow and dependencies. */
@Component
public class FullJobViews {

    private final JobStore jobs;
    private final DependencyStore dependencies;

    public FullJobViews(JobStore jobs, DependencyStore dependencies) {
        this.jobs = jobs;
        this.dependencies = dependencies;
    }

    public JobView of(JobRecord job) {
        JobDependencies place = dependencies.of(job.organizationId(), job.id())
                // Gone since its row was read (its queue deleted): shown as a job with no dependencies.
                .orElse(new JobDependencies(job.id(), null, null, true, List.of(), List.of()));
        return JobView.of(job, jobs.attempts(job.id()), jobs.completionWebhook(job.id()).orElse(null), place);
    }
}
