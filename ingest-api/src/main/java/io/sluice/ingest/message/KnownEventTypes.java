package io.sluice.ingest.message;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.store.EventType;
import io.sluice.store.EventTypeStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The event types publishing checks against, remembered for a while so that a publish does
 * not read its type from the database each time. Types are never changed once registered;
 * what a cached answer can miss is a type registered on another node meanwhile, whose schema
 * then applies within {@link #TTL}. One registered through this node applies at once.
 */
@Component
public class KnownEventTypes {

    static final Duration TTL = Duration.ofSeconds(10);
    private static final int MAX_ENTRIES = 10_000;

    private record Key(UUID organizationId, String name) {
    }

    private final EventTypeStore eventTypes;
    private final Cache<Key, Optional<EventType>> known;

    public KnownEventTypes(EventTypeStore eventTypes, Clock clock) {
        this.eventTypes = eventTypes;
        this.known = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfterWrite(TTL)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** @return the organization's type of that name; empty when it has not registered one */
    public Optional<EventType> get(UUID organizationId, String name) {
        return known.get(new Key(organizationId, name), key -> eventTypes.get(key.organizationId(), key.name()));
    }

    /** The type was just registered: the next publish of it reads it. */
    public void forget(UUID organizationId, String name) {
        known.invalidate(new Key(organizationId, name));
    }
}
