package io.sluice.ingest.health;

import io.sluice.topology.live.LiveFeed;
import io.sluice.topology.live.NodeHealth;
import io.sluice.topology.live.RealtimeProperties;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Looks at PostgreSQL and Kafka every {@code sluice.realtime.health-check} while some realtime
 * stream is open on this node, and hands what it saw to the streams ({@code SystemHealth}).
 * A node nobody watches does not look.
 */
@Component
@ConditionalOnProperty(name = "sluice.realtime.enabled", havingValue = "true", matchIfMissing = true)
public class SystemHealthWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SystemHealthWatch.class);

    private final Dependencies dependencies;
    private final LiveFeed feed;
    private final RealtimeProperties properties;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public SystemHealthWatch(Dependencies dependencies, LiveFeed feed, RealtimeProperties properties, Clock clock) {
        this.dependencies = dependencies;
        this.feed = feed;
        this.properties = properties;
        this.clock = clock;
    }

    private void look() {
        try {
            if (feed.hasStreams()) {
                feed.reportHealth(new NodeHealth(dependencies.databaseUp(), dependencies.kafkaUp(), clock.instant()));
            }
        } catch (RuntimeException e) {
            log.warn("The health watch failed a look, will look again: {}", e.toString()); // a throw would end the timer
        }
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sluice-health-watch").daemon()
                .factory());
        long every = properties.healthCheck().toMillis();
        timer.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        timer.shutdownNow();
        timer = null;
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
