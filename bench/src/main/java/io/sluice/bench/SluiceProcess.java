package io.sluice.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The Sluice instance under test: either a child process this bench starts from
 * {@code app/target/sluice.jar}, or an already running instance given by {@code --target}.
 *
 * <p>Why a child process rather than an in-JVM application context: the figures must describe
 * Sluice as it ships ({@code java $SLUICE_JAVA_OPTS -jar sluice.jar}, as {@code run.sh} starts it), with its own heap, GC and JIT, and not
 * share them with the load generator and receiver. A child process also gives an honest cold-start
 * time and a peak resident set size read from the kernel ({@code VmHWM} in
 * {@code /proc/<pid>/status}), which no in-process measurement could.
 *
 * <p>Every port Sluice opens (HTTP, gRPC, embedded Kafka, embedded PostgreSQL) is a fresh free port
 * and its data directory a fresh temporary directory, so a run never reuses state from an earlier
 * run or collides with a Sluice a developer left running. Its output goes to
 * {@code bench/results/sluice-<timestamp>.log} so a bad figure can be explained afterwards.
 */
public final class SluiceProcess implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);

    /** The gRPC port Spooled and Sluice clients use by default: an attached Sluice is assumed to listen there. */
    static final int DEFAULT_GRPC_PORT = 50051;

    private final URI baseUrl;
    private final int grpcPort;
    private final Process process;
    private final Path dataDir;
    private final Path logFile;
    private final Duration coldStart;
    private final MemorySampler sampler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SluiceProcess(URI baseUrl, int grpcPort, Process process, Path dataDir, Path logFile, Duration coldStart) {
        this.baseUrl = baseUrl;
        this.grpcPort = grpcPort;
        this.process = process;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.coldStart = coldStart;
        this.sampler = process == null ? null : MemorySampler.start(process.toHandle(), this::postgresProcesses);
    }

    /**
     * The JVM options of Sluice: {@code SLUICE_JAVA_OPTS}, which {@code bench.sh} takes from
     * {@code scripts/jvm-options.sh} as {@code run.sh} does; {@code -Xmx2g} when the jar is run
     * without the script.
     */
    public static List<String> javaOptions() {
        String options = System.getenv("SLUICE_JAVA_OPTS");
        return options == null || options.isBlank() ? List.of("-Xmx2g") : List.of(options.strip().split("\\s+"));
    }

    /**
     * Starts {@code java <javaOptions()> -jar <jar>} with fresh ports and data directory, and waits until
     * {@code GET /health/ready} answers 200.
     *
     * @param jar the Sluice executable jar
     * @param resultsDir where the Sluice log file is written
     * @param timestamp names the log file
     * @param properties further {@code --name=value} arguments a scenario needs, e.g. its retry schedule
     */
    public static SluiceProcess start(Path jar, Path resultsDir, String timestamp, List<String> properties)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new BenchFailure(jar.toAbsolutePath()
                    + " does not exist; build it first (./bench.sh --build)");
        }
        Files.createDirectories(resultsDir);
        Path logFile = resultsDir.resolve("sluice-" + timestamp + ".log");
        Path dataDir = Files.createTempDirectory("sluice-bench-");
        int[] ports = freePorts(4);
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(javaOptions());
        command.addAll(List.of("-jar", jar.toString(),
                "--server.port=" + ports[0],
                "--spring.grpc.server.port=" + ports[1],
                "--sluice.embedded.kafka.port=" + ports[2],
                "--sluice.embedded.postgres.port=" + ports[3],
                "--sluice.data-dir=" + dataDir,
                // The receiver listens on loopback, which deliveries may not reach by default.
                "--sluice.delivery.allowed-cidrs=127.0.0.1/32"));
        command.addAll(properties);
        System.out.println("Starting Sluice: " + String.join(" ", command));
        System.out.println("Sluice log: " + logFile);

        long startNanos = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        URI baseUrl = URI.create("http://127.0.0.1:" + ports[0]);
        try {
            awaitReady(baseUrl, READY_TIMEOUT, process, logFile);
        } catch (RuntimeException | InterruptedException e) {
            stop(process);
            deleteRecursively(dataDir);
            throw e;
        }
        Duration coldStart = Duration.ofNanos(System.nanoTime() - startNanos);
        System.out.printf("Sluice ready on %s after %.1f s (pid %d)%n",
                baseUrl, coldStart.toMillis() / 1000.0, process.pid());
        return new SluiceProcess(baseUrl, ports[1], process, dataDir, logFile, coldStart);
    }

    /** Uses a Sluice that is already running; no cold start or memory figure is available then. */
    public static SluiceProcess attach(URI target) throws InterruptedException {
        awaitReady(target, ATTACH_TIMEOUT, null, null);
        System.out.println("Using running Sluice at " + target);
        return new SluiceProcess(target, DEFAULT_GRPC_PORT, null, null, null, null);
    }

    /** Base URL of the Sluice HTTP API, without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The port of its gRPC server, on the host of {@link #baseUrl()}. */
    public int grpcPort() {
        return grpcPort;
    }

    /** Time from process start until ready; empty for {@code --target}. */
    public Optional<Duration> coldStart() {
        return Optional.ofNullable(coldStart);
    }

    /** The Sluice log file; empty for {@code --target}. */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    /** CPU time the Sluice JVM has used so far (every thread, the embedded Kafka broker's too); empty for {@code --target}. */
    public Optional<Duration> cpuTime() {
        return process == null ? Optional.empty() : process.toHandle().info().totalCpuDuration();
    }

    /**
     * CPU time the Sluice JVM and its embedded PostgreSQL have used so far; empty for {@code --target}.
     */
    public Optional<Duration> cpuTimeWithPostgres() {
        Optional<Duration> jvm = cpuTime();
        Optional<Duration> postgres = postgresCpuTime();
        return jvm.isEmpty() || postgres.isEmpty() ? jvm : Optional.of(jvm.get().plus(postgres.get()));
    }

    /**
     * CPU time the embedded PostgreSQL's live processes have used so far. Empty for
     * {@code --target}, or when it cannot be found.
     */
    public Optional<Duration> postgresCpuTime() {
        List<ProcessHandle> postgres = postgresProcesses();
        return postgres.isEmpty() ? Optional.empty() : Optional.of(postgres.stream()
                .map(handle -> handle.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus));
    }

    /**
     * The embedded PostgreSQL's live processes: its postmaster, found by the data directory on its
     * command line ({@code pg_ctl} detaches it from the JVM, so it is no child of it), and the
     * server processes under it. Empty for {@code --target}.
     */
    private List<ProcessHandle> postgresProcesses() {
        if (process == null) {
            return List.of();
        }
        String marker = "-D " + dataDir;
        return ProcessHandle.allProcesses()
                .filter(handle -> handle.pid() != process.pid())
                .filter(handle -> handle.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .findFirst()
                .map(postmaster -> Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList())
                .orElse(List.of());
    }

    /**
     * Peak resident set size of the Sluice JVM in MiB ({@code VmHWM}, tracked by the kernel);
     * empty for {@code --target} or when {@code /proc} is unavailable.
     */
    /** The process id of the started Sluice; empty for {@code --target}. */
    public OptionalLong pid() {
        return process == null || !process.isAlive() ? OptionalLong.empty() : OptionalLong.of(process.pid());
    }

    public OptionalLong peakRssMb() {
        if (process == null || !process.isAlive()) {
            return OptionalLong.empty();
        }
        return ProcStatus.kilobytes(process.pid(), "VmHWM").stream().map(kb -> kb / 1024).findFirst();
    }

    /**
     * Peak memory of Sluice and its embedded PostgreSQL's processes, sampled once a second, in
     * MiB; empty for {@code --target}.
     */
    public OptionalLong peakTreeMemoryMb() {
        if (sampler == null) {
            return OptionalLong.empty();
        }
        long kb = sampler.peakKb();
        return kb > 0 ? OptionalLong.of(kb / 1024) : OptionalLong.empty();
    }

    /**
     * Stops the started process (never an attached one) and deletes its data directory. Safe to
     * call more than once: the JVM shutdown hook calls it too, so Ctrl-C leaves no Sluice behind.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (sampler != null) {
            sampler.stop();
        }
        if (process != null) {
            stop(process);
            deleteRecursively(dataDir);
        }
    }

    /**
     * Polls {@code GET /health/ready} until it answers 200. Fails early, with the end of the log,
     * if the child process dies meanwhile.
     */
    static void awaitReady(URI baseUrl, Duration timeout, Process process, Path logFile)
            throws InterruptedException {
        URI ready = URI.create(baseUrl + "/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        try (HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build()) {
            while (System.nanoTime() < deadline) {
                if (process != null && !process.isAlive()) {
                    throw new BenchFailure("Sluice exited with code " + process.exitValue()
                            + " before becoming ready. Last lines of " + logFile + ":\n" + tail(logFile, 40));
                }
                try {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    last = "HTTP " + response.statusCode() + " " + response.body();
                } catch (ConnectException e) {
                    last = "connection refused";
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(200);
            }
        }
        throw new BenchFailure(ready + " not ready after " + timeout.toSeconds() + " s (last: "
                + last + ")" + (logFile == null ? "" : ". Last lines of " + logFile + ":\n" + tail(logFile, 40)));
    }

    /** Finds {@code count} distinct free TCP ports by binding them all at once, then releasing them. */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** The java launcher of this very JVM, so Sluice runs on the JDK the bench was started with. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * SIGTERM first so Spring and the embedded PostgreSQL shut down cleanly, SIGKILL if that takes
     * too long. Descendants are listed before the parent goes: once it is gone they are reparented
     * and could no longer be found.
     */
    private static void stop(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(GRACEFUL_STOP.toSeconds(), TimeUnit.SECONDS)) {
                System.err.println("Sluice did not stop within " + GRACEFUL_STOP.toSeconds() + " s; killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : descendants) {
                if (child.isAlive()) {
                    child.destroy();
                    child.onExit().get(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a child that ignored SIGTERM: fall through to the forcible pass below
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }

    static String tail(Path file, int lines) {
        if (file == null) {
            return "";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Reads {@code /proc/<pid>/status} and {@code /proc/<pid>/smaps_rollup} fields. */
    static final class ProcStatus {
        private ProcStatus() {
        }

        /** A {@code kB} field of {@code /proc/<pid>/status}, e.g. {@code VmHWM} or {@code VmRSS}. */
        static OptionalLong kilobytes(long pid, String field) {
            return field(Path.of("/proc", Long.toString(pid), "status"), field);
        }

        /**
         * Proportional set size: resident memory with pages shared between processes (PostgreSQL's
         * shared buffers) divided among them, so that summing over a process tree does not count
         * them once per backend. Falls back to {@code VmRSS} on kernels without smaps_rollup.
         */
        static OptionalLong pssKb(long pid) {
            OptionalLong pss = field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss");
            return pss.isPresent() ? pss : kilobytes(pid, "VmRSS");
        }

        static OptionalLong field(Path file, String field) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith(field + ":")) {
                        String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                        return OptionalLong.of(Long.parseLong(parts[0]));
                    }
                }
            } catch (IOException | UncheckedIOException | NumberFormatException e) {
                // process gone or no /proc: no figure
            }
            return OptionalLong.empty();
        }
    }

    /**
     * Samples the memory of a process, its descendants and the processes {@code others} names
     * (the embedded PostgreSQL's) once a second and keeps the maximum.
     * The kernel only tracks a peak per process, and the peaks of the JVM and of each PostgreSQL
     * backend do not happen at the same moment, so a sampled sum is the honest tree figure.
     */
    static final class MemorySampler implements Runnable {
        private final ProcessHandle root;
        private final Supplier<List<ProcessHandle>> others;
        private final Thread thread;
        private volatile long peakKb;
        private volatile boolean running = true;

        private MemorySampler(ProcessHandle root, Supplier<List<ProcessHandle>> others) {
            this.root = root;
            this.others = others;
            this.thread = Thread.ofPlatform().daemon().name("memory-sampler").unstarted(this);
        }

        static MemorySampler start(ProcessHandle root, Supplier<List<ProcessHandle>> others) {
            MemorySampler sampler = new MemorySampler(root, others);
            sampler.thread.start();
            return sampler;
        }

        long peakKb() {
            return peakKb;
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        @Override
        public void run() {
            while (running && root.isAlive()) {
                long total = ProcStatus.pssKb(root.pid()).orElse(0);
                total += root.descendants().mapToLong(p -> ProcStatus.pssKb(p.pid()).orElse(0)).sum();
                total += others.get().stream().mapToLong(p -> ProcStatus.pssKb(p.pid()).orElse(0)).sum();
                if (total > peakKb) {
                    peakKb = total;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
