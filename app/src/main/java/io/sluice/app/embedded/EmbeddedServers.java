package io.sluice.app.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The zero-setup default: when {@code spring.datasource.url} (or
 * {@code spring.kafka.bootstrap-servers}) is not set, starts a real PostgreSQL (or Kafka
 * broker) with data under {@code sluice.data-dir} and points Spring at it. Their ports are
 * chosen first, so the servers start in the background while the context builds itself,
 * and the first bean that connects to either ({@link #AWAITING}) waits until both are up:
 * most of a start is spent in one of the two, so overlapping them keeps cold starts short.
 *
 * <p>Stopping has two paths. Normally the context's close destroys this object last, after
 * everything that writes to the servers has stopped. A JVM shutdown hook covers the case
 * where Spring does not close the context (a SIGTERM while it is still starting): it waits
 * for the normal path while the context is closing, and otherwise stops the servers itself,
 * so that no orphaned PostgreSQL keeps the data directory and the Kafka broker shuts down
 * cleanly (an unclean stop delays the next start by the broker's session timeout).
 */
public final class EmbeddedServers implements ApplicationListener<SpringApplicationEvent>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

    /** How long the shutdown hook lets a closing context finish before stopping the servers anyway. */
    private static final Duration CONTEXT_CLOSE_GRACE = Duration.ofSeconds(60);
    /** How long the shutdown hook waits for Spring's own hook to begin closing the context. */
    private static final Duration CONTEXT_CLOSE_START = Duration.ofSeconds(2);
    /** The beans that connect to PostgreSQL or Kafka; every other user of them is built after one of these. */
    private static final List<Class<?>> AWAITING = List.of(
            DataSource.class, KafkaAdmin.class, ProducerFactory.class, ConsumerFactory.class);

    private final CountDownLatch contextClosing = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Each server while it starts and once it runs; a null result: not embedded. */
    private CompletableFuture<EmbeddedPostgresServer> postgres = CompletableFuture.completedFuture(null);
    private CompletableFuture<EmbeddedKafkaServer> kafka = CompletableFuture.completedFuture(null);
    private boolean closed;
    private Path dataDir;

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
                prepared.getApplicationContext().addApplicationListener(new ClosingListener(contextClosing));
                prepared.getApplicationContext().getBeanFactory().addBeanPostProcessor(new AwaitServers());
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
        int postgresPort = resolve(env.getProperty("sluice.embedded.postgres.port", Integer.class, 15432));
        int kafkaPort = resolve(env.getProperty("sluice.embedded.kafka.port", Integer.class, 19092));
        // Before anything starts: a SIGTERM during the start must still stop what has started.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("sluice-embedded-servers-stop").unstarted(this::stopAtExit));
        Map<String, Object> properties = new HashMap<>();
        synchronized (this) {
            this.dataDir = dataDir;
            if (needPostgres) {
                postgres = startLogged("PostgreSQL", () -> EmbeddedPostgresServer.start(dataDir, postgresPort),
                        "on port " + postgresPort + " (data in " + dataDir.resolve("postgres") + ")");
                properties.put("spring.datasource.url", EmbeddedPostgresServer.jdbcUrl(postgresPort));
                properties.put("spring.datasource.username", "postgres");
                properties.put("spring.datasource.password", "postgres");
            }
            if (needKafka) {
                RetriedAppendNoise.install();
                kafka = startLogged("Kafka broker", () -> EmbeddedKafkaServer.start(dataDir, kafkaPort),
                        "at " + EmbeddedKafkaServer.bootstrapServers(kafkaPort) + " (log in " + dataDir.resolve("kafka") + ")");
                properties.put("spring.kafka.bootstrap-servers", EmbeddedKafkaServer.bootstrapServers(kafkaPort));
                if (!env.containsProperty("sluice.topology.standby-replicas")) {
                    // one node: there is nowhere to keep a standby copy of the stats
                    properties.put("sluice.topology.standby-replicas", "0");
                }
            }
        }
        env.getPropertySources().addFirst(new MapPropertySource("sluiceEmbeddedServers", properties));
    }

    private static int resolve(int port) {
        return port == 0 ? FreePorts.pick() : port;
    }

    private static <T> CompletableFuture<T> startLogged(String name, IoSupplier<T> start, String where) {
        long started = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            T server = unchecked(start);
            log.info("Embedded {} up in {} ms, {}", name, (System.nanoTime() - started) / 1_000_000, where);
            return server;
        });
    }

    /** Blocks until both servers run; throws when one of them could not start. */
    private void awaitServers() {
        CompletableFuture<?> database;
        CompletableFuture<?> broker;
        Path directory;
        synchronized (this) {
            database = postgres;
            broker = kafka;
            directory = dataDir;
        }
        try {
            CompletableFuture.allOf(database, broker).join();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Could not start the embedded servers under " + directory,
                    e.getCause() != null ? e.getCause() : e);
        }
    }

    private final class AwaitServers implements BeanPostProcessor {
        @Override
        public Object postProcessBeforeInitialization(Object bean, String beanName) {
            for (Class<?> type : AWAITING) {
                if (type.isInstance(bean)) {
                    awaitServers();
                    break;
                }
            }
            return bean;
        }
    }

    private void stopAtExit() {
        try {
            if (contextClosing.await(CONTEXT_CLOSE_START.toMillis(), TimeUnit.MILLISECONDS)) {
                stopped.await(CONTEXT_CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Stops the broker, then PostgreSQL; a server still starting is stopped once it is up. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stop(kafka, "Kafka broker");
            stop(postgres, "PostgreSQL");
        }
        stopped.countDown();
    }

    private static void stop(CompletableFuture<? extends AutoCloseable> server, String name) {
        AutoCloseable running;
        try {
            running = server.join();
        } catch (RuntimeException e) {
            return; // it never started
        }
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                log.warn("Stopping the embedded {} failed", name, e);
            }
        }
    }

    private record ClosingListener(CountDownLatch closing) implements ApplicationListener<ContextClosedEvent> {
        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            closing.countDown();
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
