package io.sluice.ingest.job;

import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.JobRecord;
import io.sluice.store.JobStore;
import org.springframework.stereotype.Component;

/** The jobs a caller may see: its organization's, in the queues its key reaches. */
@Component
public class VisibleJobs {

    private final JobStore jobs;

    public VisibleJobs(JobStore jobs) {
        this.jobs = jobs;
    }

    /** The caller's job of that id; a job of another organization or outside the key's queues is not found (404). */
    public JobRecord get(Caller caller, String id) {
        return Ids.parse(id).flatMap(uuid -> jobs.get(caller.organizationId(), uuid))
                .filter(job -> caller.reaches(job.queueName()))
                .orElseThrow(() -> ApiException.notFound("Job not found"));
    }
}
