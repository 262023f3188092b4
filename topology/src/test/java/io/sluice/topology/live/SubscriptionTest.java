package io.sluice.topology.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.stats.ScopeStats;
import io.sluice.core.stats.StateCounts;
import io.sluice.core.stats.StatsScope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One client's stream, with a sink that records what it is sent. */
class SubscriptionTest {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(30);

    private final UUID org = UUID.randomUUID();
    private final RecordingSink sink = new RecordingSink();
    private StreamPosition position = StreamPosition.none(2);

    @Test
    void eventsItWantsAreWrittenInOrderEachWithThePositionItLeavesTheClientAt() {
        Subscription stream = open(new LiveFilter(org, null, "emails", null, Set.of(), false), null, 100);

        LiveEvent first = event(0, "emails", LiveMessage.JOB_CREATED, false);
        stream.offer(first);
        stream.offer(event(1, "reports", LiveMessage.JOB_CREATED, false)); // another queue
        stream.offer(new LiveEvent(1, 0, StreamPosition.WHOLE, position, UUID.randomUUID(), "emails", UUID.randomUUID(),
                List.of(message(LiveMessage.JOB_CREATED)), false)); // another organization
        LiveEvent second = event(1, "emails", LiveMessage.JOB_COMPLETED, false);
        stream.offer(second);

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.frames.size() == 2);
        assertThat(sink.frames).containsExactly(
                new Frame(first.position().encode(), first.messages().getFirst().json()),
                new Frame(second.position().encode(), second.messages().getFirst().json()));
        assertThat(sink.keepAlives).as("one on opening").isEqualTo(1);
        stream.close();
    }

    @Test
    void aResumedStreamSkipsWhatTheClientSawAlready() {
        LiveEvent seen = event(0, "emails", LiveMessage.JOB_CREATED, false);
        Subscription stream = open(new LiveFilter(org, null, null, null, Set.of(), false), seen.position(), 100);

        stream.offer(seen);
        LiveEvent missed = event(1, "emails", LiveMessage.JOB_CREATED, false);
        stream.offer(missed);

        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.frames.isEmpty());
        assertThat(sink.frames).extracting(Frame::id).containsExactly(missed.position().encode());
        stream.close();
    }

    @Test
    void aStreamResumedInTheMiddleOfARecordGetsTheRestOfItsEvents() {
        // a record of four job changes (a change set) at offset 3 of partition 1
        List<LiveEvent> set = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int index = i == 3 ? StreamPosition.WHOLE : i;
            set.add(new LiveEvent(1, 3, index, position.after(1, 3, index), org, "emails", UUID.randomUUID(),
                    List.of(message(LiveMessage.JOB_CREATED)), false));
        }
        Subscription stream = open(new LiveFilter(org, null, null, null, Set.of(), false), set.get(1).position(), 100);

        set.forEach(stream::offer);

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.frames.size() == 2);
        assertThat(sink.frames).extracting(Frame::id)
                .containsExactly(set.get(2).position().encode(), set.get(3).position().encode());
        assertThat(set.get(3).position()).isEqualTo(position.after(1, 3));
        stream.close();
    }

    @Test
    void aJobsStreamEndsWithTheEventThatEndsTheJob() {
        UUID job = UUID.randomUUID();
        Subscription stream = open(new LiveFilter(org, null, null, job, Set.of(), true), null, 100);

        stream.offer(new LiveEvent(0, 0, StreamPosition.WHOLE, position = position.after(0, 0), org, "emails", job,
                List.of(message(LiveMessage.JOB_COMPLETED)), true));

        await().atMost(Duration.ofSeconds(5)).until(sink.closed::get);
        assertThat(stream.isClosed()).isTrue();
        assertThat(sink.frames).hasSize(1);
    }

    @Test
    void aClientAWholeBufferBehindIsToldSoAndClosed() {
        Subscription stream = new Subscription(new LiveFilter(org, null, null, null, Set.of(), false), null,
                position.encode(), sink, 3, KEEP_ALIVE, Duration.ofMillis(500), HEALTH_INTERVAL, closed -> { });
        // not started: nothing is written while the buffer fills
        for (int i = 0; i < 5; i++) {
            stream.offer(event(0, "emails", LiveMessage.JOB_CREATED, false));
        }
        stream.start();

        await().atMost(Duration.ofSeconds(5)).until(sink.closed::get);
        assertThat(sink.frames).singleElement().satisfies(frame -> assertThat(frame.json()).contains("SLOW_CONSUMER"));
    }

    @Test
    void eventsThatQueuedWhileTheWriterWasBusyGoOutInOneWrite() {
        Subscription stream = new Subscription(new LiveFilter(org, null, null, null, Set.of(), false), null,
                position.encode(), sink, 100, KEEP_ALIVE, Duration.ofMillis(500), HEALTH_INTERVAL, closed -> { });
        List<LiveEvent> queued = List.of(event(0, "emails", LiveMessage.JOB_CREATED, false),
                event(1, "emails", LiveMessage.JOB_CREATED, false), event(0, "emails", LiveMessage.JOB_COMPLETED, false));
        queued.forEach(stream::offer); // not started: the writer is "busy"
        stream.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.frames.size() == 3);
        assertThat(sink.writes).containsExactly(3);
        assertThat(sink.frames).extracting(Frame::id).as("each at the position it leaves the client at")
                .containsExactly(queued.stream().map(event -> event.position().encode()).toArray(String[]::new));
        stream.close();
    }

    @Test
    void statsComeAtMostOncePerIntervalAndTheNewestWins() {
        Subscription stream = open(new LiveFilter(org, null, "emails", null, Set.of(), false), null, 100);

        for (int completed = 1; completed <= 50; completed++) {
            stream.offerStats(new ScopeStats(StatsScope.queue(org, "emails"),
                    new StateCounts(0, 0, 0, completed, 0, 0, 0), Instant.now(), null));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.frames.stream()
                .anyMatch(frame -> frame.json().contains("\"completed\":50")));
        assertThat(sink.frames.size()).as("far fewer than offered").isLessThanOrEqualTo(2);
        stream.close();
    }

    @Test
    void aTypeFilterKeepsOtherMessagesOffTheWireAndOutOfTheBuffer() {
        Subscription stream = open(new LiveFilter(org, null, null, null, Set.of("job_completed"), false), null, 1);

        stream.offer(event(0, "emails", LiveMessage.JOB_CREATED, false));
        stream.offer(event(0, "emails", LiveMessage.JOB_CREATED, false));
        stream.offer(event(1, "emails", LiveMessage.JOB_COMPLETED, false));

        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.frames.isEmpty());
        assertThat(sink.frames).singleElement().satisfies(frame -> assertThat(frame.json()).contains("JobCompleted"));
        assertThat(sink.closed).as("not taken for a slow client").isFalse();
        stream.close();
    }

    @Test
    void theNodesHealthIsSaidWhenItChangesAndNotWhileItStaysHealthy() {
        Subscription stream = open(new LiveFilter(org, null, null, null, Set.of(), false), null, 100);
        Instant now = Instant.parse("2026-11-30T03:00:00Z");

        stream.offerHealth(new NodeHealth(true, true, now)); // healthy, as a quiet stream implies
        stream.offerHealth(new NodeHealth(true, false, now.plusSeconds(5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.frames.size() == 1);
        stream.offerHealth(new NodeHealth(true, false, now.plusSeconds(10))); // no news
        stream.offerHealth(new NodeHealth(true, true, now.plusSeconds(15)));

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.frames.size() == 2);
        assertThat(sink.frames).extracting(Frame::json).containsExactly(
                "{\"type\":\"SystemHealth\",\"data\":{\"status\":\"unhealthy\",\"database\":true,\"cache\":false,"
                        + "\"kafka\":false,\"at\":\"2026-11-30T03:00:05Z\"}}",
                "{\"type\":\"SystemHealth\",\"data\":{\"status\":\"healthy\",\"database\":true,\"cache\":true,"
                        + "\"kafka\":true,\"at\":\"2026-11-30T03:00:15Z\"}}");
        stream.close();
    }

    @Test
    void aJobsStreamAndAStreamFilteredToOtherTypesNeverSayTheNodesHealth() {
        Subscription ofJob = open(new LiveFilter(org, null, null, UUID.randomUUID(), Set.of(), true), null, 100);
        Subscription ofCompletions = open(new LiveFilter(org, null, null, null, Set.of("JobCompleted"), false), null, 100);

        ofJob.offerHealth(new NodeHealth(false, true, Instant.now()));
        ofCompletions.offerHealth(new NodeHealth(false, true, Instant.now()));
        ofCompletions.offer(event(0, "emails", LiveMessage.JOB_COMPLETED, false));

        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.frames.isEmpty());
        assertThat(sink.frames).singleElement().satisfies(frame -> assertThat(frame.json()).contains("JobCompleted"));
        ofJob.close();
        ofCompletions.close();
    }

    private Subscription open(LiveFilter filter, StreamPosition floor, int buffer) {
        Subscription stream = new Subscription(filter, floor, position.encode(), sink, buffer, KEEP_ALIVE,
                Duration.ofMillis(500), HEALTH_INTERVAL, closed -> { });
        stream.start();
        return stream;
    }

    private LiveEvent event(int partition, String queue, String type, boolean endsJob) {
        long offset = position.offset(partition) + 1;
        position = position.after(partition, offset);
        return new LiveEvent(partition, offset, StreamPosition.WHOLE, position, org, queue, UUID.randomUUID(),
                List.of(message(type)), endsJob);
    }

    private static LiveMessage message(String type) {
        return new LiveMessage(type, Map.of("job_id", UUID.randomUUID().toString()));
    }

    record Frame(String id, String json) {
    }

    static final class RecordingSink implements LiveSink {

        final List<Frame> frames = new CopyOnWriteArrayList<>();
        /** Frames per write. */
        final List<Integer> writes = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile int keepAlives;

        @Override
        public void send(List<LiveFrame> written) {
            written.forEach(frame -> frames.add(new Frame(frame.id(), frame.json())));
            writes.add(written.size());
        }

        @Override
        public void keepAlive() {
            keepAlives++;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
