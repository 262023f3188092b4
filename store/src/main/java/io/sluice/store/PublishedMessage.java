package io.sluice.store;

import java.util.List;
import java.util.UUID;

/**
 * What publishing a message did.
 *
 * @param jobIds  one delivery job per endpoint it went to, in endpoint order
 * @param created false when the idempotency key named an earlier message: these are its ids
 */
public record PublishedMessage(UUID messageId, List<UUID> jobIds, boolean created) {
}
