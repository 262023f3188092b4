package io.sluice.app;

import io.sluice.app.embedded.EmbeddedServers;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Sluice in one JVM: ingest API, outbox relay, delivery worker and state projector. With
 * no database or Kafka configured it starts a real PostgreSQL and a real Kafka broker
 * itself ({@link EmbeddedServers}).
 */
@SpringBootApplication(scanBasePackages = "io.sluice")
@ConfigurationPropertiesScan("io.sluice")
public class SluiceApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SluiceApplication.class);
        application.addListeners(new EmbeddedServers());
        try {
            application.run(args);
        } catch (SpringApplication.AbandonedRunException e) {
            throw e;
        } catch (RuntimeException e) {
            // Spring Boot has logged why. Exit even if a library left non-daemon threads
            // behind; the shutdown hooks still stop the embedded servers.
            System.exit(1);
        }
    }
}
