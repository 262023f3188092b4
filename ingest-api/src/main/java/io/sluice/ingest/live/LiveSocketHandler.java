package io.sluice.ingest.live;

import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.job.VisibleJobs;
import io.sluice.ingest.web.ApiException;
import io.sluice.topology.live.LiveFeed;
import io.sluice.topology.live.LiveFilter;
import io.sluice.topology.live.LiveFrame;
import io.sluice.topology.live.LiveMessage;
import io.sluice.topology.live.LiveSink;
import io.sluice.topology.live.Subscription;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/ws}: the realtime messages over a WebSocket. The client sends
 * {@code {"cmd": "Subscribe" | "Unsubscribe" | "Ping", "queue"?, "job_id"?}}: a subscription to a
 * queue (its job changes and {@code QueueStats}), to a job (ends with it), or with neither to
 * every job change of the organization. The caller was authenticated on the upgrade request
 * ({@link AuthenticationFilter}); a command it may not make is answered with an {@code Error}.
 * Spooled's SDKs send the same commands in another form, which is answered ({@link SocketCommand}).
 */
public class LiveSocketHandler extends TextWebSocketHandler {

    /** How long a send may block, and how much may wait, before a slow client is dropped. */
    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int BUFFER_LIMIT_BYTES = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SUBSCRIPTIONS = "sluice.subscriptions";
    private static final String SESSION = "sluice.session";

    private final LiveFeed feed;
    private final VisibleJobs jobs;

    public LiveSocketHandler(LiveFeed feed, VisibleJobs jobs) {
        this.feed = feed;
        this.jobs = jobs;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        session.getAttributes().put(SESSION,
                new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT_BYTES));
        session.getAttributes().put(SUBSCRIPTIONS, new ConcurrentHashMap<String, Subscription>());
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage message) throws IOException {
        WebSocketSession session = (WebSocketSession) raw.getAttributes().get(SESSION);
        Caller caller = (Caller) raw.getAttributes().get(AuthenticationFilter.CALLER);
        JsonNode json;
        try {
            json = JSON.readTree(message.getPayload());
        } catch (JacksonException e) {
            send(session, LiveMessage.error("VALIDATION_ERROR", "A command is JSON: {\"cmd\": \"Subscribe\", ...}"));
            return;
        }
        SocketCommand command = SocketCommand.of(json);
        ApiException refusal = switch (command.name() == null ? "" : command.name()) {
            case "Subscribe" -> subscribe(raw, session, caller, command.queue(), command.jobId());
            case "Unsubscribe" -> {
                Subscription subscription = subscriptions(raw).remove(key(command.queue(), command.jobId()));
                if (subscription != null) {
                    subscription.close();
                }
                yield null;
            }
            case "Ping" -> {
                send(session, new LiveMessage(LiveMessage.PING, Map.of()));
                yield null;
            }
            default -> ApiException.validation("cmd must be Subscribe, Unsubscribe or Ping");
        };
        String answer = refusal == null ? command.done() : command.refused(refusal.getMessage());
        if (answer != null) {
            session.sendMessage(new TextMessage(answer));
        } else if (refusal != null) {
            send(session, LiveMessage.error(refusal.code(), refusal.getMessage()));
        }
    }

    /**
     * Opens the subscription, unless it is open already.
     *
     * @return why it was refused, or null
     */
    private ApiException subscribe(WebSocketSession raw, WebSocketSession session, Caller caller, String queue,
                                   String jobId) {
        String key = key(queue, jobId);
        if (subscriptions(raw).containsKey(key)) {
            return null;
        }
        LiveFilter filter;
        try {
            UUID job = jobId == null ? null : jobs.get(caller, jobId).id();
            if (queue != null && !caller.reaches(queue)) {
                throw ApiException.accessDenied("This API key is limited to queues " + caller.queues());
            }
            filter = new LiveFilter(caller.organizationId(),
                    caller.reachesAllQueues() ? null : Set.copyOf(caller.queues()), queue, job, Set.of(), job != null);
        } catch (ApiException e) {
            return e;
        }
        Subscription[] opened = new Subscription[1];
        opened[0] = feed.subscribe(filter, null, new LiveSink() {
            @Override
            public void send(List<LiveFrame> frames) throws IOException {
                for (LiveFrame frame : frames) {
                    session.sendMessage(new TextMessage(frame.json()));
                }
            }

            @Override
            public void keepAlive() throws IOException {
                session.sendMessage(new PingMessage());
            }

            @Override
            public void close() {
                // the subscription ended (its job did); the socket stays open for the others
                if (opened[0] != null) {
                    subscriptions(raw).remove(key, opened[0]);
                }
            }
        });
        subscriptions(raw).put(key, opened[0]);
        return null;
    }

    @Override
    public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
        Map<String, Subscription> all = subscriptions(raw);
        if (all != null) {
            all.values().forEach(Subscription::close);
            all.clear();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Subscription> subscriptions(WebSocketSession raw) {
        return (Map<String, Subscription>) raw.getAttributes().get(SUBSCRIPTIONS);
    }

    private static String key(String queue, String jobId) {
        return (queue == null ? "" : "queue:" + queue) + "|" + (jobId == null ? "" : "job:" + jobId);
    }

    private static void send(WebSocketSession session, LiveMessage message) throws IOException {
        session.sendMessage(new TextMessage(message.json()));
    }
}
