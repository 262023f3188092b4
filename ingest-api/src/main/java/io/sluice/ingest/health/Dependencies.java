package io.sluice.ingest.health;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/** Whether the servers Sluice needs answer now: PostgreSQL, and the Kafka cluster (within 2 s). */
@Component
public class Dependencies implements DisposableBean {

    private static final long CHECK_TIMEOUT_MS = 2_000;

    private final JdbcTemplate jdbc;
    private final KafkaAdmin kafkaAdmin;
    private volatile AdminClient admin;

    public Dependencies(JdbcTemplate jdbc, KafkaAdmin kafkaAdmin) {
        this.jdbc = jdbc;
        this.kafkaAdmin = kafkaAdmin;
    }

    public boolean databaseUp() {
        try {
            return Integer.valueOf(1).equals(jdbc.queryForObject("SELECT 1", Integer.class));
        } catch (RuntimeException e) {
            return false;
        }
    }

    public boolean kafkaUp() {
        try {
            return !admin().describeCluster().nodes().get(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private AdminClient admin() {
        AdminClient current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = AdminClient.create(kafkaAdmin.getConfigurationProperties());
                }
                current = admin;
            }
        }
        return current;
    }

    @Override
    public void destroy() {
        if (admin != null) {
            admin.close();
        }
    }
}
