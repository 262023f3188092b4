package io.sluice.ingest.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Public health at the root paths Spooled clients and load balancers use. {@code ready}
 * means the application has finished starting (and is not shutting down), PostgreSQL
 * answers and the Kafka cluster is reachable, so accepted jobs can flow. The web server
 * answers before the relay, the worker and the gRPC server have started; without the
 * readiness state a load balancer would send traffic to a half-started node.
 */
@RestController
public class HealthController implements DisposableBean {

    private static final long CHECK_TIMEOUT_MS = 2_000;

    private final JdbcTemplate jdbc;
    private final KafkaAdmin kafkaAdmin;
    private final ApplicationAvailability availability;
    private volatile AdminClient admin;

    public HealthController(JdbcTemplate jdbc, KafkaAdmin kafkaAdmin, ApplicationAvailability availability) {
        this.jdbc = jdbc;
        this.kafkaAdmin = kafkaAdmin;
        this.availability = availability;
    }

    @GetMapping("/health")
    public ResponseEntity<Map<String, Object>> health() {
        boolean database = databaseUp();
        boolean kafka = kafkaUp();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", database && kafka ? "healthy" : "unhealthy");
        body.put("database", database);
        // Spooled clients read "cache"; in Sluice the role of that fast tier is Kafka's.
        body.put("cache", kafka);
        body.put("kafka", kafka);
        return ResponseEntity.status(database && kafka ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    @GetMapping("/health/live")
    public Map<String, Object> live() {
        return Map.of("status", "UP");
    }

    @GetMapping("/health/ready")
    public ResponseEntity<Map<String, Object>> ready() {
        boolean up = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC && databaseUp() && kafkaUp();
        return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", up ? "UP" : "DOWN"));
    }

    private boolean databaseUp() {
        try {
            return Integer.valueOf(1).equals(jdbc.queryForObject("SELECT 1", Integer.class));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean kafkaUp() {
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
