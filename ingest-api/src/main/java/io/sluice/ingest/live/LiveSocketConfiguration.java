package io.sluice.ingest.live;

import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.job.VisibleJobs;
import io.sluice.topology.live.LiveFeed;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Serves {@link LiveSocketHandler} at {@code /api/v1/ws}. The upgrade request passes the
 * {@link AuthenticationFilter} like any other (401/403 refuse the upgrade); its caller is handed
 * to the session. Any origin may connect: the credential is in the URL, never in a cookie.
 */
@Configuration
@EnableWebSocket
@ConditionalOnProperty(name = "sluice.realtime.enabled", havingValue = "true", matchIfMissing = true)
public class LiveSocketConfiguration implements WebSocketConfigurer {

    private final LiveFeed feed;
    private final VisibleJobs jobs;

    public LiveSocketConfiguration(LiveFeed feed, VisibleJobs jobs) {
        this.feed = feed;
        this.jobs = jobs;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new LiveSocketHandler(feed, jobs), "/api/v1/ws")
                .addInterceptors(new CallerHandover())
                .setAllowedOriginPatterns("*");
    }

    /** Puts the authenticated caller of the upgrade request on the session. */
    private static final class CallerHandover implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                       WebSocketHandler handler, Map<String, Object> attributes) {
            if (request instanceof ServletServerHttpRequest servlet
                    && servlet.getServletRequest().getAttribute(AuthenticationFilter.CALLER) != null) {
                attributes.put(AuthenticationFilter.CALLER,
                        servlet.getServletRequest().getAttribute(AuthenticationFilter.CALLER));
                return true;
            }
            return false;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Exception exception) {
        }
    }
}
