package io.sluice.store;

/**
 * What an organization holds now, as its usage report counts it.
 *
 * @param workers   registered workers not marked offline
 * @param webhooks  endpoints and outgoing webhooks (not the hidden completion endpoints)
 */
public record OrganizationUsage(long jobsToday, long activeJobs, long queues, long workers, long apiKeys,
                                long schedules, long workflows, long webhooks) {
}
