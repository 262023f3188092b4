package io.sluice.topology.live;

import io.sluice.core.stats.ScopeStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One client's stream: the feed offers it events (never blocking: a client that falls a whole
 * buffer behind is told so and closed, and resumes with {@code Last-Event-ID}), and a virtual
 * thread of its own writes them to its sink, with keep-alives while nothing happens and its
 * queues' counts at most every {@code statsInterval}, and the node's health as
 * {@link HealthCadence} times it.
 */
public final class Subscription {

    /** Events written together at most. */
    private static final int MOST_PER_WRITE = 256;
    /** Wakes the writer for stats; carries nothing. */
    private static final LiveEvent WAKE = new LiveEvent(-1, -1, StreamPosition.WHOLE, null, null, null, null, List.of(),
            false);

    private final LiveFilter filter;
    private final StreamPosition floor;
    private final LiveSink sink;
    private final BlockingQueue<LiveEvent> queue;
    private final Duration keepAlive;
    private final Duration statsInterval;
    private final Consumer<Subscription> onClose;
    /** The newest counts per queue not sent yet. */
    private final Map<String, ScopeStats> pendingStats = new ConcurrentHashMap<>();
    /** The node's health to say, not sent yet. */
    private final AtomicReference<NodeHealth> pendingHealth = new AtomicReference<>();
    private final HealthCadence healthCadence;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String lastId;
    private long statsSentAt;

    /** @param buffer events it may hold unsent: the client's lag allowed, plus what a resume replays */
    Subscription(LiveFilter filter, StreamPosition floor, String startId, LiveSink sink, int buffer,
                 Duration keepAlive, Duration statsInterval, Duration healthInterval, Consumer<Subscription> onClose) {
        this.filter = filter;
        this.floor = floor;
        this.lastId = startId;
        this.sink = sink;
        this.queue = new LinkedBlockingQueue<>(buffer + 1);
        this.keepAlive = keepAlive;
        this.statsInterval = statsInterval;
        this.onClose = onClose;
        this.statsSentAt = System.nanoTime() - statsInterval.toNanos();
        this.healthCadence = new HealthCadence(healthInterval, System.nanoTime());
    }

    public LiveFilter filter() {
        return filter;
    }

    void start() {
        Thread.ofVirtual().name("sluice-live-stream").start(this::write);
    }

    /** From the feed's thread: this event, if the stream wants it and has not seen it. */
    void offer(LiveEvent event) {
        if (closed.get() || !filter.matches(event) || (floor != null && floor.covers(event.partition(), event.offset(), event.index()))) {
            return;
        }
        if (event.messages().stream().noneMatch(filter::wants) && !(event.endsJob() && filter.closesWithJob())) {
            return; // nothing it would send: it must not count against the client's buffer
        }
        if (!queue.offer(event)) {
            overflowed.set(true);
            queue.clear();
            queue.offer(WAKE);
        }
    }

    /** From the feed's thread: the newest counts of a queue this stream follows. */
    void offerStats(ScopeStats stats) {
        if (!closed.get() && pendingStats.put(stats.scope().key(), stats) == null) {
            queue.offer(WAKE);
        }
    }

    /** From the node's health watch: its newest look at the servers, said if {@link HealthCadence} says so. */
    void offerHealth(NodeHealth health) {
        if (closed.get() || !filter.wantsHealth()) {
            return;
        }
        boolean due;
        synchronized (healthCadence) {
            due = healthCadence.due(health, System.nanoTime());
        }
        if (due && pendingHealth.getAndSet(health) == null) {
            queue.offer(WAKE);
        }
    }

    /** Ends the stream (the client left, the server stops). */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.offer(WAKE);
            onClose.accept(this);
            sink.close();
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void write() {
        long lastWrite = System.nanoTime();
        try {
            // At once: the client has its response (status, headers) before anything happens.
            sink.keepAlive();
            while (!closed.get()) {
                long now = System.nanoTime();
                long wait = keepAlive.toNanos() - (now - lastWrite);
                if (!pendingStats.isEmpty()) {
                    wait = Math.min(wait, statsInterval.toNanos() - (now - statsSentAt));
                }
                LiveEvent event = queue.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (closed.get()) {
                    return;
                }
                if (overflowed.get()) {
                    sink.send(List.of(new LiveFrame(lastId, LiveMessage.error("SLOW_CONSUMER", "This stream fell more"
                            + " than a buffer behind; reconnect with Last-Event-ID to resume where it stopped").json())));
                    close();
                    return;
                }
                List<LiveFrame> frames = new ArrayList<>();
                boolean jobEnded = event != null && framesOf(event, frames);
                if (!jobEnded && !pendingStats.isEmpty() && System.nanoTime() - statsSentAt >= statsInterval.toNanos()) {
                    for (String scope : List.copyOf(pendingStats.keySet())) {
                        ScopeStats stats = pendingStats.remove(scope);
                        if (stats != null) {
                            frames.add(new LiveFrame(lastId, LiveMessages.queueStats(stats).json()));
                        }
                    }
                    statsSentAt = System.nanoTime();
                }
                NodeHealth health = jobEnded ? null : pendingHealth.getAndSet(null);
                if (health != null) {
                    frames.add(new LiveFrame(lastId, LiveMessages.systemHealth(health).json()));
                }
                if (!frames.isEmpty()) {
                    sink.send(frames);
                    lastWrite = System.nanoTime();
                }
                if (jobEnded) {
                    close();
                    return;
                }
                if (System.nanoTime() - lastWrite >= keepAlive.toNanos()) {
                    sink.keepAlive();
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException e) {
            close(); // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    /**
     * The frames of this event and of those queued behind it (up to {@value #MOST_PER_WRITE}), to
     * be written at once: a client that falls behind catches up in a few writes, not one per
     * message. Moves the stream's position past them.
     *
     * @return whether one of them ended the stream's job (those after it are dropped: the stream ends)
     */
    private boolean framesOf(LiveEvent first, List<LiveFrame> frames) {
        List<LiveEvent> events = new ArrayList<>();
        events.add(first);
        queue.drainTo(events, MOST_PER_WRITE - 1);
        for (LiveEvent event : events) {
            if (event == WAKE) {
                continue;
            }
            if (event.position() != null) {
                lastId = event.position().encode();
            }
            for (LiveMessage message : event.messages()) {
                if (filter.wants(message)) {
                    frames.add(new LiveFrame(lastId, message.json()));
                }
            }
            if (event.endsJob() && filter.closesWithJob()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends a message out of the feed's order (a snapshot on opening, say), at the stream's
     * current position.
     *
     * @param endsJob the message says the stream's job has ended: a job's stream closes after it
     */
    public void sendNow(LiveMessage message, boolean endsJob) {
        queue.offer(new LiveEvent(-1, -1, StreamPosition.WHOLE, null, null, null, null, List.of(message), endsJob));
    }
}
