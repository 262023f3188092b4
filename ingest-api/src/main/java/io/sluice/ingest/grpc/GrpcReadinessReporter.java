package io.sluice.ingest.grpc;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reports the application's readiness as the server's overall gRPC health (service
 * {@code ""} of {@code grpc.health.v1.Health}): {@code NOT_SERVING} until Spring Boot
 * declares the application ready for traffic and again once shutdown begins. Left alone,
 * the health service answers {@code SERVING} as soon as the port is open, before the
 * application has finished starting.
 */
@Component
public class GrpcReadinessReporter {

    /** Absent when {@code spring.grpc.server.health.enabled=false}: nothing to report to. */
    private final HealthStatusManager health;

    public GrpcReadinessReporter(ObjectProvider<HealthStatusManager> health) {
        this.health = health.getIfAvailable();
        report(ServingStatus.NOT_SERVING);
    }

    @EventListener
    public void onReadinessChange(AvailabilityChangeEvent<ReadinessState> event) {
        report(event.getState() == ReadinessState.ACCEPTING_TRAFFIC ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    private void report(ServingStatus status) {
        if (health != null) {
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        }
    }
}
