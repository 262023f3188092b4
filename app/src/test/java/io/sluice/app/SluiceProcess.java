package io.sluice.app;

import io.sluice.testkit.RealServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sluice as a separate operating-system process (the packaged jar), so a test can kill it
 * with SIGKILL (no shutdown hook, no graceful drain, exactly what a crash does) or stop it
 * with SIGTERM. Either against the test JVM's real PostgreSQL and Kafka ({@link #start}), or
 * with its own embedded servers, as {@code java -jar} runs it ({@link #launchEmbedded}).
 */
final class SluiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "sluice.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private SluiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Sluice on the test JVM's servers and waits until it is ready. */
    static SluiceProcess start(String name, int port, List<String> extraArgs) throws IOException {
        List<String> args = new ArrayList<>();
        RealServers.get().springProperties().forEach((key, value) -> args.add("--" + key + "=" + value));
        args.addAll(extraArgs);
        SluiceProcess sluice = launch(name, port, args);
        sluice.awaitReady(Duration.ofSeconds(120));
        return sluice;
    }

    /**
     * Launches Sluice with embedded PostgreSQL and Kafka (on free ports) under {@code dataDir}
     * and returns at once; {@link #awaitReady} waits for it.
     */
    static SluiceProcess launchEmbedded(String name, int port, Path dataDir, String... extraArgs) throws IOException {
        // Spring joins a property given twice into a list, so an extra argument replaces its default.
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : List.of("--sluice.data-dir=" + dataDir, "--sluice.embedded.postgres.port=0",
                "--sluice.embedded.kafka.port=0")) {
            args.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        for (String arg : extraArgs) {
            args.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        return launch(name, port, List.copyOf(args.values()));
    }

    private static SluiceProcess launch(String name, int port, List<String> args) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the tests with 'verify' so the jar is packaged first");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx768m", "-XX:+UseParallelGC", "-jar", JAR.toString(),
                "--server.port=" + port, "--spring.grpc.server.port=0", "--sluice.delivery.allowed-cidrs=127.0.0.0/8",
                "--sluice.retry.tiers=1s,2s,3s", "--sluice.retry.schedule=1s,2s,3s"));
        command.addAll(args);
        Path log = Path.of("target", name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SluiceProcess(process, port, log);
    }

    void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Sluice exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Sluice was not ready within " + timeout + "; see " + log.toAbsolutePath());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("Sluice did not exit within " + timeout + "; see " + log.toAbsolutePath());
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, as a service manager stops it; returns once the process has exited. */
    void stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("Sluice did not stop within " + timeout + "; see " + log.toAbsolutePath());
        }
    }

    /** SIGKILL: the process gets no chance to flush, commit or say goodbye. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
