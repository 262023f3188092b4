package io.sluice.app.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server (binaries shipped in a Maven jar) with its data under the data
 * directory, so a restart keeps every job. {@code synchronous_commit=on}: an answered
 * enqueue is on disk.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        Path dir = dataDir.resolve("postgres");
        Files.createDirectories(dir.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB")
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                // Its own hook would stop the server while the application is still shutting
                // down and writing; EmbeddedServers stops it after the context has closed.
                .setRegisterShutdownHook(false)
                .start();
        return new EmbeddedPostgresServer(postgres);
    }

    /** The URL of the server started on {@code port}; known before it runs. */
    static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
