package io.sluice.ingest.health;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
public class HealthController {

    private final Dependencies dependencies;
    private final ApplicationAvailability availability;

    public HealthController(Dependencies dependencies, ApplicationAvailability availability) {
        this.dependencies = dependencies;
        this.availability = availability;
    }

    @GetMapping("/health")
    public ResponseEntity<Map<String, Object>> health() {
        boolean database = dependencies.databaseUp();
        boolean kafka = dependencies.kafkaUp();
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
        boolean up = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC
                && dependencies.databaseUp() && dependencies.kafkaUp();
        return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", up ? "UP" : "DOWN"));
    }
}
