package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-setup default as a user runs it: {@code java -jar sluice.jar} with its own
 * PostgreSQL and Kafka under the data directory. Stopping it must stop them too, whenever
 * the stop comes, or an orphaned PostgreSQL keeps the data directory (and its port) and the
 * next start waits for it.
 */
class EmbeddedModeIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration STOP = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void aStoppedSluiceLeavesNoServerBehindAndARestartKeepsItsData() throws Exception {
        // given: Sluice started on an empty data directory, with an organization created
        SluiceClient.Tenant tenant;
        try (SluiceProcess first = SluiceProcess.launchEmbedded("embedded-first-run", SluiceProcess.freePort(), dataDir)) {
            first.awaitReady(START);
            tenant = new SluiceClient(first.baseUrl()).newOrganization("embedded-" + UUID.randomUUID().toString().substring(0, 8));
            long postgresPid = postmasterPid().orElseThrow();

            // when
            first.stop(STOP);

            // then
            assertThat(running(postgresPid)).as("PostgreSQL %d still running", postgresPid).isFalse();
            assertThat(postmasterPid()).as("no postmaster.pid left in the data directory").isEmpty();
        }

        // and: a second start on the same directory answers for the same organization
        try (SluiceProcess second = SluiceProcess.launchEmbedded("embedded-second-run", SluiceProcess.freePort(), dataDir)) {
            second.awaitReady(START);
            assertThat(new SluiceClient(second.baseUrl()).get(tenant.apiKey(), "/api/v1/endpoints").status()).isEqualTo(200);
            second.stop(STOP);
        }
        assertThat(postmasterPid()).isEmpty();
    }

    @Test
    void aStopWhileStartingStillStopsTheEmbeddedServers() throws Exception {
        try (SluiceProcess sluice = SluiceProcess.launchEmbedded("embedded-stopped-while-starting", SluiceProcess.freePort(), dataDir)) {
            // given: PostgreSQL is up, the application is not ready yet
            long postgresPid = awaitPostmasterPid(START);

            // when: SIGTERM arrives
            sluice.stop(STOP);

            // then
            assertThat(running(postgresPid)).as("PostgreSQL %d still running", postgresPid).isFalse();
            assertThat(postmasterPid()).isEmpty();
        }
    }

    @Test
    void aServerThatCannotStartFailsTheStartClearlyAndLeavesNothingRunning() throws Exception {
        // given: the port asked for the Kafka broker is taken
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                SluiceProcess sluice = SluiceProcess.launchEmbedded("embedded-port-taken", SluiceProcess.freePort(), dataDir,
                        "--sluice.embedded.kafka.port=" + taken.getLocalPort())) {

            // when
            int exitCode = sluice.awaitExit(START);

            // then
            assertThat(exitCode).isEqualTo(1);
            assertThat(sluice.log()).contains("Could not start the embedded servers under " + dataDir).contains("Address already in use");
            assertThat(postmasterPid()).as("the PostgreSQL that did start was stopped").isEmpty();
        }
    }

    /**
     * Whether the process runs; an exited one that nobody has reaped yet (a zombie, whose
     * parent was the stopped JVM) counts as stopped, which {@link ProcessHandle#isAlive} does not do.
     */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(Path.of("/proc", "self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** PostgreSQL writes its pid as the first line of postmaster.pid and removes the file when it stops. */
    private OptionalLong postmasterPid() throws IOException {
        Path file = dataDir.resolve("postgres").resolve("postmaster.pid");
        try {
            String first = Files.readAllLines(file).getFirst().strip();
            return OptionalLong.of(Long.parseLong(first));
        } catch (java.nio.file.NoSuchFileException | java.util.NoSuchElementException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private long awaitPostmasterPid(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong pid = postmasterPid();
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("PostgreSQL did not start within " + timeout);
    }
}
