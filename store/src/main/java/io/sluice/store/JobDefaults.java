package io.sluice.store;

/**
 * What a job gets when neither its request nor its queue says otherwise.
 *
 * @param maxRetries retries of a job whose request and queue name none
 */
public record JobDefaults(int maxRetries) {
}
