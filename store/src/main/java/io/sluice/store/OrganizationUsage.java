package io.sluice.store;

/** What an organization holds now, as its usage report counts it. */
public record OrganizationUsage(long jobsToday, long activeJobs, long queues, long apiKeys, long webhooks) {
}
