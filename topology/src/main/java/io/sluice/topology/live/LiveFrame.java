package io.sluice.topology.live;

/**
 * One message on a stream.
 *
 * @param id   the stream position it leaves the client at (null: none)
 * @param json the message, {@code {"type", "data"}} on one line
 */
public record LiveFrame(String id, String json) {
}
