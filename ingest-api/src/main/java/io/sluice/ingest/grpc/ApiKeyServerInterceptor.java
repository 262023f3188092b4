package io.sluice.ingest.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.sluice.ingest.auth.Authenticator;
import io.sluice.ingest.auth.Caller;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Authenticates a gRPC call by its metadata, {@code x-api-key: <key>} or
 * {@code authorization: Bearer <key>}, as the REST API does by its header; the call runs with
 * the key's organization in {@link #ORGANIZATION_ID}. Without a valid key it is closed with
 * {@code UNAUTHENTICATED} before any request is read.
 */
@Component
public class ApiKeyServerInterceptor implements ServerInterceptor {

    public static final Context.Key<UUID> ORGANIZATION_ID = Context.key("sluice-organization-id");
    public static final Context.Key<Caller> CALLER = Context.key("sluice-caller");

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final Authenticator authenticator;

    public ApiKeyServerInterceptor(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        Optional<Caller> caller = keyOf(headers).flatMap(authenticator::authenticate);
        if (caller.isEmpty()) {
            call.close(Status.UNAUTHENTICATED.withDescription(
                    "Invalid or missing API key: give one in metadata x-api-key or authorization: Bearer"), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        Context context = Context.current().withValue(ORGANIZATION_ID, caller.get().organizationId())
                .withValue(CALLER, caller.get());
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static Optional<String> keyOf(Metadata headers) {
        String key = headers.get(API_KEY);
        if (key != null) {
            return Optional.of(key.trim());
        }
        String authorization = headers.get(AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(authorization.substring(BEARER.length()).trim());
        }
        return Optional.empty();
    }
}
