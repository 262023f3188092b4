package io.sluice.topology.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the realtime streams ({@code sluice.realtime.*}).
 *
 * @param enabled       serve the SSE and WebSocket streams from this node
 * @param replayEvents  job events this node keeps for clients that resume with {@code Last-Event-ID}
 * @param clientBuffer  events one client may lag behind before its stream is closed (it resumes)
 * @param keepAlive     the longest a stream stays silent: a keep-alive is sent after it
 * @param statsInterval the most often a queue's stream sends its {@code QueueStats}
 * @param streamTimeout a stream is closed after this long, and the client resumes where it was
 * @param healthCheck   how often the node looks at PostgreSQL and Kafka while some stream is open
 * @param healthInterval how often a stream repeats {@code SystemHealth} while it does not change
 */
@ConfigurationProperties("sluice.realtime")
public record RealtimeProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20000") int replayEvents,
        @DefaultValue("10000") int clientBuffer,
        @DefaultValue("15s") Duration keepAlive,
        @DefaultValue("500ms") Duration statsInterval,
        @DefaultValue("30m") Duration streamTimeout,
        @DefaultValue("5s") Duration healthCheck,
        @DefaultValue("30s") Duration healthInterval) {
}
