package io.sluice.ingest.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every route under {@code /api/v1} needs {@code Authorization: Bearer <api key | access token>},
 * except the few that let one in (registration, login, token refresh and validation) and the
 * operator routes (which take the admin key). The caller is put on the request as {@link #CALLER}
 * and its organization as {@link #ORGANIZATION_ID}; every query downstream is scoped to it.
 * A key limited to some queues reaches only the job, queue, worker, schedule and realtime routes (which keep to its
 * queues); a key's own rate limit is applied here, before any work.
 */
@Component
public class AuthenticationFilter extends OncePerRequestFilter {

    public static final String ORGANIZATION_ID = "sluice.organizationId";
    public static final String CALLER = "sluice.caller";

    private static final String API = "/api/v1/";
    private static final Set<String> OPEN_POSTS = Set.of("/api/v1/organizations", "/api/v1/organizations/generate-slug",
            "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/validate");
    private static final Set<String> OPEN_GETS = Set.of("/api/v1/organizations/check-slug");
    private static final List<String> QUEUE_SCOPED_ROUTES =
            List.of("/api/v1/jobs", "/api/v1/queues", "/api/v1/workers", "/api/v1/schedules", "/api/v1/auth/",
                    "/api/v1/dashboard", "/api/v1/events", "/api/v1/ws");
    /** The SSE routes: credentials may come in the query string here. */
    private static final String REALTIME = "/api/v1/events";

    private final Authenticator authenticator;
    private final KeyRateLimits rateLimits;
    private final Clock clock;

    public AuthenticationFilter(Authenticator authenticator, KeyRateLimits rateLimits, Clock clock) {
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (!path.startsWith(API) || path.startsWith(API + "admin/")) {
            return true;
        }
        return switch (request.getMethod()) {
            // Incoming webhooks carry their organization's own token (IncomingWebhookController).
            case "POST" -> OPEN_POSTS.contains(path) || path.startsWith(API + "webhooks/");
            case "GET" -> OPEN_GETS.contains(path);
            default -> false;
        };
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String credential = credential(request);
        if (credential == null) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "AUTHENTICATION_FAILED",
                    "Missing Authorization: Bearer <api key or access token>");
            return;
        }
        Optional<Caller> found = authenticator.authenticate(credential);
        if (found.isEmpty()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "AUTHENTICATION_FAILED",
                    "Invalid or expired API key or access token");
            return;
        }
        Caller caller = found.get();
        if (!caller.reachesAllQueues() && QUEUE_SCOPED_ROUTES.stream().noneMatch(request.getRequestURI()::startsWith)) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "ACCESS_DENIED",
                    "This API key is limited to queues " + caller.queues() + "; this route needs a key for all queues");
            return;
        }
        if (caller.rateLimit() != null && !withinRateLimit(caller, response)) {
            return;
        }
        request.setAttribute(CALLER, caller);
        request.setAttribute(ORGANIZATION_ID, caller.organizationId());
        chain.doFilter(request, response);
    }

    /**
     * The bearer credential; on the realtime routes also {@code ?api_key=} or {@code ?token=}, as
     * browsers' EventSource and WebSocket cannot send headers.
     */
    private static String credential(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        String path = request.getRequestURI();
        if (path.equals(REALTIME) || path.startsWith(REALTIME + "/") || path.equals(API + "ws")) {
            String key = request.getParameter("api_key");
            String token = key != null && !key.isBlank() ? key : request.getParameter("token");
            return token == null || token.isBlank() ? null : token.trim();
        }
        return null;
    }

    private boolean withinRateLimit(Caller caller, HttpServletResponse response) throws IOException {
        KeyRateLimits.Decision decision = rateLimits.acquire(caller.apiKeyId(), caller.rateLimit());
        response.setHeader("X-RateLimit-Limit", Integer.toString(decision.limit()));
        response.setHeader("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
        response.setHeader("X-RateLimit-Reset",
                Long.toString(clock.instant().getEpochSecond() + decision.resetSeconds()));
        if (!decision.allowed()) {
            response.setHeader("Retry-After", Long.toString(decision.resetSeconds()));
            refuse(response, 429, "RATE_LIMIT_EXCEEDED", decision.refusal());
        }
        return decision.allowed();
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getWriter().write("{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}");
    }
}
