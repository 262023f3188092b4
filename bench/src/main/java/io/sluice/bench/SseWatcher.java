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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One SSE client of the realtime scenario: opens a stream, notes when it is connected (the
 * comment Sluice sends on opening), counts the messages of a type and hands each one's
 * {@code data.at} and arrival to a callback. Reads on a virtual thread; closing drops the connection.
 */
final class SseWatcher implements AutoCloseable {

    private final HttpClient http;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final AtomicLong messages = new AtomicLong();
    private final ConcurrentHashMap<String, Boolean> jobs = new ConcurrentHashMap<>();
    private volatile InputStream body;

    private SseWatcher(HttpClient http) {
        this.http = http;
    }

    /**
     * @param onMessage called with (the change's time, arrival in epoch ms) for every message of {@code type}
     */
    static SseWatcher open(HttpClient http, URI url, String apiKey, String type, Consumer<long[]> onMessage) {
        SseWatcher watcher = new SseWatcher(http);
        HttpRequest request = HttpRequest.newBuilder(url).version(HttpClient.Version.HTTP_1_1)
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + apiKey).GET().build();
        CompletableFuture<HttpResponse<InputStream>> response =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        Thread.ofVirtual().start(() -> watcher.read(response, type, onMessage));
        return watcher;
    }

    private void read(CompletableFuture<HttpResponse<InputStream>> pending, String type, Consumer<long[]> onMessage) {
        String marker = "\"type\":\"" + type + "\"";
        try {
            HttpResponse<InputStream> response = pending.join();
            body = response.body();
            if (response.statusCode() != 200) {
                return;
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith(":")) {
                        connected.countDown();
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
        } catch (IOException | RuntimeException e) {
            // closed
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

    @Override
    public void close() {
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
