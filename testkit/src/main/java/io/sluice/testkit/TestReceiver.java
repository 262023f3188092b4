package io.sluice.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A webhook receiver on loopback that keeps every request it gets, for tests to check
 * what Sluice sent: headers, the exact body, and how often each {@code webhook-id} came.
 */
public final class TestReceiver implements AutoCloseable {

    /** One received request; header names are lower case. */
    public record Delivery(String path, Map<String, List<String>> headers, String body, Instant receivedAt) {

        /** The first value of a header; names are case-insensitive, as in HTTP. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public String webhookId() {
            return header("webhook-id");
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final Set<String> distinctIds = ConcurrentHashMap.newKeySet();
    /** How the receiver answers one delivery. */
    public record Reply(int status, Map<String, String> headers) {
        public static Reply of(int status) {
            return new Reply(status, Map.of());
        }
    }

    private volatile Function<Delivery, Reply> replies = d -> Reply.of(200);

    private TestReceiver(HttpServer server) {
        this.server = server;
    }

    public static TestReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            TestReceiver receiver = new TestReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
            Delivery delivery = new Delivery(exchange.getRequestURI().getPath(), headers, body, Instant.now());
            deliveries.add(delivery);
            if (delivery.webhookId() != null) {
                distinctIds.add(delivery.webhookId());
            }
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            Reply reply = replies.apply(delivery);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(reply.status(), answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** Decides the status of each answer (200 by default). */
    public TestReceiver answering(ToIntFunction<Delivery> status) {
        this.replies = d -> Reply.of(status.applyAsInt(d));
        return this;
    }

    /** Decides the status and headers of each answer. */
    public TestReceiver replying(Function<Delivery, Reply> replies) {
        this.replies = replies;
        return this;
    }

    /** Every request for one {@code webhook-id}, in the order they came. */
    public List<Delivery> deliveriesOf(String webhookId) {
        return deliveries.stream().filter(d -> webhookId.equals(d.webhookId())).toList();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    public int distinctCount() {
        return distinctIds.size();
    }

    public int totalCount() {
        return deliveries.size();
    }

    public boolean received(String webhookId) {
        return distinctIds.contains(webhookId);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
