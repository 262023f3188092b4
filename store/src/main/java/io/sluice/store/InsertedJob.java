package io.sluice.store;

import java.util.UUID;

/** The outcome of inserting one job: its id, and false when an idempotency key matched an existing job. */
public record InsertedJob(UUID id, boolean created) {
}
