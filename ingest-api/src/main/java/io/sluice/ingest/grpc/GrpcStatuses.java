package io.sluice.ingest.grpc;

import io.grpc.Status;
import io.sluice.ingest.web.ApiException;

/** The gRPC status of an API error: the same problem as the REST routes answer, in gRPC's words. */
public final class GrpcStatuses {

    private GrpcStatuses() {
    }

    public static Status of(ApiException e) {
        Status status = switch (e.status()) {
            case BAD_REQUEST, PAYLOAD_TOO_LARGE -> Status.INVALID_ARGUMENT;
            case FORBIDDEN -> Status.PERMISSION_DENIED;
            case NOT_FOUND -> Status.NOT_FOUND;
            case CONFLICT -> Status.ABORTED;
            case UNAUTHORIZED -> Status.UNAUTHENTICATED;
            case TOO_MANY_REQUESTS -> Status.RESOURCE_EXHAUSTED;
            case SERVICE_UNAVAILABLE -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
        return status.withDescription(e.getMessage());
    }
}
