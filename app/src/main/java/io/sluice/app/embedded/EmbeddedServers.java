package io.sluice.app.embedded;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The zero-setup default: when {@code spring.datasource.url} (or
 * {@code spring.kafka.bootstrap-servers}) is not set, starts a real PostgreSQL (or Kafka
 * broker) before the application context, with data under {@code sluice.data-dir}, and
 * points Spring at it. Both start in parallel; they stop after the context has closed.
 */
public final class EmbeddedServers implements ApplicationListener<SpringApplicationEvent>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaServer kafka;

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        switch (event) {
            case ApplicationEnvironmentPreparedEvent prepared -> startWhatIsMissing(prepared.getEnvironment());
            // Registered as disposable before any bean exists, so destroyed last: after the
            // listener containers, the relay and the pools that use the servers have stopped.
            case ApplicationPreparedEvent prepared -> {
                if (!(prepared.getApplicationContext().getBeanFactory() instanceof DefaultSingletonBeanRegistry beans)) {
                    throw new IllegalStateException("unexpected bean factory: cannot order the embedded servers' stop");
                }
                beans.registerDisposableBean("sluiceEmbeddedServers", this::close);
            }
            case ApplicationFailedEvent failed -> close();
            default -> {
            }
        }
    }

    private void startWhatIsMissing(ConfigurableEnvironment env) {
        boolean needPostgres = !env.containsProperty("spring.datasource.url");
        boolean needKafka = !env.containsProperty("spring.kafka.bootstrap-servers");
        if (!needPostgres) {
            log.info("Using the configured PostgreSQL: {}", env.getProperty("spring.datasource.url"));
        }
        if (!needKafka) {
            log.info("Using the configured Kafka: {}", env.getProperty("spring.kafka.bootstrap-servers"));
        }
        if (!needPostgres && !needKafka) {
            return;
        }
        Path dataDir = Path.of(env.getProperty("sluice.data-dir", "./.sluice")).toAbsolutePath().normalize();
        int postgresPort = env.getProperty("sluice.embedded.postgres.port", Integer.class, 15432);
        int kafkaPort = env.getProperty("sluice.embedded.kafka.port", Integer.class, 19092);
        long started = System.nanoTime();
        CompletableFuture<EmbeddedPostgresServer> pg = needPostgres
                ? CompletableFuture.supplyAsync(() -> unchecked(() -> EmbeddedPostgresServer.start(dataDir, postgresPort)))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<EmbeddedKafkaServer> kf = needKafka
                ? CompletableFuture.supplyAsync(() -> unchecked(() -> EmbeddedKafkaServer.start(dataDir, kafkaPort)))
                : CompletableFuture.completedFuture(null);
        try {
            postgres = pg.join();
            kafka = kf.join();
        } catch (RuntimeException e) {
            close();
            throw new IllegalStateException("Could not start the embedded servers under " + dataDir, e);
        }
        Map<String, Object> properties = new HashMap<>();
        if (postgres != null) {
            properties.put("spring.datasource.url", postgres.jdbcUrl());
            properties.put("spring.datasource.username", "postgres");
            properties.put("spring.datasource.password", "postgres");
            log.info("Embedded PostgreSQL on port {} (data in {})", postgres.port(), dataDir.resolve("postgres"));
        }
        if (kafka != null) {
            properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
            log.info("Embedded Kafka broker at {} (log in {})", kafka.bootstrapServers(), dataDir.resolve("kafka"));
        }
        log.info("Embedded servers up in {} ms", (System.nanoTime() - started) / 1_000_000);
        env.getPropertySources().addFirst(new MapPropertySource("sluiceEmbeddedServers", properties));
    }

    @Override
    public synchronized void close() {
        if (kafka != null) {
            try {
                kafka.close();
            } catch (RuntimeException e) {
                log.warn("Stopping the embedded Kafka broker failed", e);
            }
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                log.warn("Stopping the embedded PostgreSQL failed", e);
            }
            postgres = null;
        }
    }

    private interface IoSupplier<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(IoSupplier<T> supplier) {
        // Pool threads carry the system class loader; the broker loads classes by name
        // through the context loader, which must be the one that sees the Boot jar.
        Thread.currentThread().setContextClassLoader(EmbeddedServers.class.getClassLoader());
        try {
            return supplier.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
