package io.sluice.ingest.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every route under {@code /api/v1} needs {@code Authorization: Bearer <api key>}, except
 * creating an organization. The organization found is put on the request as
 * {@link #ORGANIZATION_ID}; every query downstream is scoped to it.
 */
@Component
public class ApiKeyFilter extends OncePerRequestFilter {

    public static final String ORGANIZATION_ID = "sluice.organizationId";

    private final ApiKeyAuthenticator authenticator;

    public ApiKeyFilter(ApiKeyAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (!path.startsWith("/api/v1/")) {
            return true;
        }
        return "POST".equals(request.getMethod()) && path.equals("/api/v1/organizations");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(response, "Missing Authorization: Bearer <api key>");
            return;
        }
        Optional<UUID> organization = authenticator.organizationOf(header.substring(7).trim());
        if (organization.isEmpty()) {
            refuse(response, "Invalid API key");
            return;
        }
        request.setAttribute(ORGANIZATION_ID, organization.get());
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, String message) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("application/json");
        response.setHeader("WWW-Authenticate", "Bearer");
        response.getWriter().write("{\"code\":\"AUTHENTICATION_FAILED\",\"message\":\"" + message + "\"}");
    }
}
