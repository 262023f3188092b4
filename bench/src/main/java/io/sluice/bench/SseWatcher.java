package io.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One SSE client of the realtime scenario: opens a stream, notes when it is connected (the
 * comment Sluice sends on opening), counts the messages of a type (and the distinct jobs they name)
 * and hands each one's {@code data.at} and arrival to a callback. Reads on a virtual thread.
 */
final class SseWatcher implements AutoCloseable {

    private final HttpClient http;
    private final URI url;
    private final String apiKey;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final ConcurrentHashMap<String, Boolean> jobs = new ConcurrentHashMap<>();
    private volatile InputStream body;
    private volatile boolean closed;
    private volatile String lastId;

    private SseWatcher(HttpClient http, URI url, String apiKey) {
        this.http = http;
        this.url = url;
        this.apiKey = apiKey;
    }

    /**
     * Like a browser's EventSource, it reconnects with {@code Last-Event-ID} when the server ends
     * the stream (a client too slow is told so and closed; it resumes where it was).
     *
     * @param onMessage called with (the change's time, arrival in epoch ms) for every message of {@code type}
     */
    static SseWatcher open(HttpClient http, URI url, String apiKey, String type, Consumer<long[]> onMessage) {
        SseWatcher watcher = new SseWatcher(http, url, apiKey);
        Thread.ofVirtual().start(() -> watcher.follow(type, onMessage));
        return watcher;
    }

    private void follow(String type, Consumer<long[]> onMessage) {
        while (!closed) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).version(HttpClient.Version.HTTP_1_1)
                    .header("Accept", "text/event-stream").header("Authorization", "Bearer " + apiKey);
            if (lastId != null) {
                request.header("Last-Event-ID", lastId);
                reconnects.incrementAndGet();
            }
            try {
                HttpResponse<InputStream> response =
                        http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                body = response.body();
                if (response.statusCode() != 200) {
                    return;
                }
                read(type, onMessage);
            } catch (IOException | RuntimeException e) {
                // dropped: reconnect unless closed
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(String type, Consumer<long[]> onMessage) throws IOException {
        String marker = "\"type\":\"" + type + "\"";
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(":")) {
                    connected.countDown();
                } else if (line.startsWith("id:")) {
                    lastId = line.substring(3).trim();
                } else if (line.startsWith("data:") && line.contains(marker)) {
                    long arrived = System.currentTimeMillis();
                    messages.incrementAndGet();
                    String job = field(line, "job_id");
                    if (job != null) {
                        jobs.put(job, Boolean.TRUE);
                    }
                    String at = field(line, "at");
                    if (at != null) {
                        onMessage.accept(new long[] {Instant.parse(at).toEpochMilli(), arrived});
                    }
                }
            }
        }
    }

    /** A string field's value in a flat JSON object, found without a parser (thousands of lines a second). */
    private static String field(String line, String name) {
        String key = "\"" + name + "\":\"";
        int start = line.indexOf(key);
        if (start < 0) {
            return null;
        }
        int from = start + key.length();
        int end = line.indexOf('"', from);
        return end < 0 ? null : line.substring(from, end);
    }

    boolean awaitConnected(long millis) throws InterruptedException {
        return connected.await(millis, TimeUnit.MILLISECONDS);
    }

    long messages() {
        return messages.get();
    }

    int distinctJobs() {
        return jobs.size();
    }

    long reconnects() {
        return reconnects.get();
    }

    @Override
    public void close() {
        closed = true;
        InputStream stream = body;
        if (stream != null) {
            Thread.ofVirtual().start(() -> {
                try {
                    stream.close();
                } catch (IOException e) {
                    // gone already
                }
            });
        }
    }
}
