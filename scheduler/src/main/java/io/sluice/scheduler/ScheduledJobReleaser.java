package io.sluice.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.store.JobStore;
import org.springframework.stereotype.Component;

/**
 * Releases jobs accepted with a future {@code scheduled_at} once it has come: they become
 * pending and go through the outbox like any new job (to their endpoint, or to external workers).
 */
@Component
public class ScheduledJobReleaser extends PeriodicTask {

    private final JobStore jobs;
    private final ScheduledJobsProperties properties;
    private final Counter releasedJobs;

    public ScheduledJobReleaser(JobStore jobs, ScheduledJobsProperties properties, MeterRegistry meters) {
        super("sluice-scheduled-jobs", properties.enabled(), properties.interval());
        this.jobs = jobs;
        this.properties = properties;
        this.releasedJobs = meters.counter("sluice.scheduled.jobs.released");
    }

    /** @return jobs released; a full batch is followed by another at once */
    @Override
    public int runOnce() {
        int released = 0;
        for (int n; (n = jobs.releaseDue(properties.batchSize())) > 0; ) {
            released += n;
            releasedJobs.increment(n);
            if (n < properties.batchSize()) {
                break;
            }
        }
        return released;
    }
}
