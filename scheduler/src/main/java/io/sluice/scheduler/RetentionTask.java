package io.sluice.scheduler;

import io.sluice.store.PartitionStore;
import io.sluice.store.ScheduleStore;
import io.sluice.store.WorkflowStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;

/**
 * Keeps the tables from growing without bound: drops the days of jobs and attempts older than
 * {@code sluice.retention.jobs} ({@link PartitionStore#dropDaysBefore}: dead-lettered and
 * unfinished jobs are kept), forgets schedule runs older than
 * {@code sluice.retention.schedule-runs}, and the workflows and dependency rows whose jobs are
 * gone. Its first run comes one interval after start, not
 * during it.
 */
@Component
public class RetentionTask extends PeriodicTask {

    private final PartitionStore partitions;
    private final ScheduleStore schedules;
    private final WorkflowStore workflows;
    private final RetentionProperties properties;
    private final Clock clock;

    public RetentionTask(PartitionStore partitions, ScheduleStore schedules, WorkflowStore workflows,
                         RetentionProperties properties, Clock clock) {
        super("sluice-retention", properties.enabled(), properties.interval());
        this.partitions = partitions;
        this.schedules = schedules;
        this.workflows = workflows;
        this.properties = properties;
        this.clock = clock;
    }

    /** @return partitions dropped, and schedule runs, workflows and dependent jobs forgotten */
    @Override
    public int runOnce() {
        // A day is dropped once its last moment is older than the retention.
        LocalDate firstKept = LocalDate.ofInstant(clock.instant().minus(properties.jobs()), ZoneOffset.UTC);
        return partitions.dropDaysBefore(firstKept)
                + schedules.forgetRunsBefore(clock.instant().minus(properties.scheduleRuns()))
                + workflows.forgetBefore(clock.instant().minus(properties.jobs()));
    }
}
