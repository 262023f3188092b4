package io.sluice.topology.live;

import java.util.List;
import java.util.UUID;

/**
 * A job's change (or a worker's: {@code jobId} null) as the streams send it: its messages, and
 * where it sits on {@code sluice.events}: its record, its index in the record
 * ({@link StreamPosition#WHOLE} for an event that is a record of its own), and the position
 * after it ({@code position}, the {@code id:} of its frames).
 *
 * @param endsJob the job has ended with this change: a stream of that job closes after it
 */
public record LiveEvent(int partition, long offset, int index, StreamPosition position, UUID organizationId,
                        String queueName, UUID jobId, List<LiveMessage> messages, boolean endsJob) {
}
