package io.sluice.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A test's Server-Sent Events client: reads a stream on a thread of its own into frames
 * ({@code id} and the JSON of {@code data}); keep-alive comments are counted, not kept.
 */
final class SseStream implements AutoCloseable {

    record Frame(String id, JsonNode data) {

        String type() {
            return data.get("type").asString();
        }

        JsonNode body() {
            return data.get("data");
        }
    }

    private static final Frame END = new Frame(null, null);
    /** One client per stream: closing it drops the connection at once, as a browser tab closing does. */
    private final HttpClient http;
    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private volatile int comments;
    private volatile boolean ended;

    private SseStream(HttpClient http, HttpResponse<InputStream> response) {
        this.http = http;
        this.response = response;
        if (response.statusCode() == 200) {
            Thread.ofVirtual().start(this::read);
        }
    }

    static SseStream open(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).version(HttpClient.Version.HTTP_1_1)
                .header("Accept", "text/event-stream");
        headers.forEach(request::header);
        HttpClient http = HttpClient.newHttpClient();
        try {
            return new SseStream(http, http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The body of a refused stream (its {@code {code, message}}). */
    JsonNode error() throws IOException {
        return SluiceClient.JSON.readTree(response.body().readAllBytes());
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        frames.add(new Frame(id, SluiceClient.JSON.readTree(data.toString())));
                    }
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments++;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            ended = true;
            frames.add(END);
        }
    }

    /** The next frame, or null when none came within {@code timeout} or the stream ended. */
    Frame next(Duration timeout) throws InterruptedException {
        Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == END) {
            frames.add(END);
            return null;
        }
        return frame;
    }

    /** Frames until one of {@code type} (included); fails when it does not come within {@code timeout}. */
    List<Frame> until(String type, Duration timeout) throws InterruptedException {
        List<Frame> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Frame frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (frame == null) {
                break;
            }
            seen.add(frame);
            if (frame.type().equals(type)) {
                return seen;
            }
        }
        throw new AssertionError("no " + type + " within " + timeout + "; got " + seen);
    }

    /** Whether the server ended the stream within {@code timeout}. */
    boolean endsWithin(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return ended;
    }

    int comments() {
        return comments;
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
