package io.sluice.worker;

import io.sluice.core.delivery.AttemptOutcome;
import io.sluice.core.delivery.RetryAfter;
import io.sluice.core.event.AttemptRecorded;
import io.sluice.core.job.Uuid7;
import io.sluice.core.kafka.DeliveryMessage;
import io.sluice.core.net.SsrfGuard;
import io.sluice.core.webhook.WebhookSigner;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * POSTs one delivery, signed as Standard Webhooks asks and with the endpoint's custom
 * headers, and reports the attempt. Jetty's
 * asynchronous client keeps thousands of requests in flight on a handful of threads and
 * bounds connections per endpoint (host and port), which is the per-endpoint limit here.
 * Redirects are not followed: a 3xx is a failed attempt.
 */
@Component
public class WebhookDispatcher implements DisposableBean {

    private static final String USER_AGENT = "Sluice-Webhooks/0.1";

    private final HttpClient http;
    private final Clock clock;
    private final Uuid7 ids;
    private final String worker;

    public WebhookDispatcher(WorkerProperties properties, Clock clock, Uuid7 ids, SsrfGuard ssrfGuard) throws Exception {
        this.clock = clock;
        this.ids = ids;
        this.worker = properties.nodeName();
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("sluice-http");
        threads.setDaemon(true);
        this.http = new HttpClient();
        http.setExecutor(threads);
        // Connect only to addresses the guard has vetted, from the one lookup it made.
        http.setSocketAddressResolver(new VettedAddressResolver(ssrfGuard, threads));
        http.setConnectTimeout(properties.connectTimeout().toMillis());
        http.setFollowRedirects(false);
        // Endpoints of different organizations can share a host: a cookie one of them sets
        // must never travel to another, and a webhook sender has no session to keep.
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setMaxConnectionsPerDestination(properties.maxConnectionsPerEndpoint());
        http.setMaxRequestsQueuedPerDestination(Math.max(1024, properties.maxInFlight() * 2));
        http.setUserAgentField(new org.eclipse.jetty.http.HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        http.start();
    }

    /** Sends one attempt; {@code onAttempt} is called exactly once, from an HTTP thread. */
    public void dispatch(DeliveryMessage delivery, Consumer<AttemptReport> onAttempt) {
        Instant startedAt = clock.instant();
        long startNanos = System.nanoTime();
        String messageId = delivery.jobId().toString();
        long timestamp = startedAt.getEpochSecond();
        byte[] body = delivery.payload();
        String signature;
        try {
            signature = WebhookSigner.sign(delivery.signingKeys(), startedAt, messageId, timestamp, body);
        } catch (IllegalArgumentException e) {
            onAttempt.accept(attempt(delivery, startedAt, startNanos,
                    new AttemptOutcome.Failed(null, "signing", e.getMessage()), null, null));
            return;
        }
        try {
            http.newRequest(delivery.url())
                    .method(HttpMethod.POST)
                    .timeout(delivery.timeoutMs(), TimeUnit.MILLISECONDS)
                    .headers(h -> {
                        // The endpoint's own headers first: the signature headers below always win.
                        delivery.endpointHeaders().forEach(h::put);
                        h.put(WebhookSigner.HEADER_ID, messageId)
                            .put(WebhookSigner.HEADER_TIMESTAMP, Long.toString(timestamp))
                                .put(WebhookSigner.HEADER_SIGNATURE, signature);
                    })
                    .body(new BytesRequestContent("application/json", body))
                    .send(new ExcerptListener(result -> onAttempt.accept(attempt(delivery, startedAt, startNanos,
                            outcomeOf(result.result), result.excerpt, retryAfterOf(result.result)))));
        } catch (RuntimeException e) {
            // A URL Jetty cannot even build a request for.
            onAttempt.accept(attempt(delivery, startedAt, startNanos,
                    new AttemptOutcome.Failed(null, "invalid_url", e.getMessage()), null, null));
        }
    }

    private static String retryAfterOf(Result result) {
        Response response = result.getResponse();
        return response == null ? null : response.getHeaders().get(HttpHeader.RETRY_AFTER);
    }

    private static AttemptOutcome outcomeOf(Result result) {
        Response response = result.getResponse();
        if (result.isSucceeded() && response != null) {
            return AttemptOutcome.ofStatus(response.getStatus());
        }
        Throwable failure = result.getFailure();
        if (response != null && response.getStatus() > 0 && result.getRequestFailure() == null
                && !(failure instanceof TimeoutException)) {
            return AttemptOutcome.ofStatus(response.getStatus());
        }
        return AttemptOutcome.ofError(errorClassOf(failure), String.valueOf(failure));
    }

    static String errorClassOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SsrfGuard.BlockedAddressException) {
                return "ssrf_blocked";
            }
            if (t instanceof TimeoutException) {
                return "timeout";
            }
            if (t instanceof UnknownHostException) {
                return "dns";
            }
            if (t instanceof ConnectException) {
                return "connect";
            }
        }
        return "network";
    }

    private AttemptReport attempt(DeliveryMessage delivery, Instant startedAt, long startNanos,
                                  AttemptOutcome outcome, String excerpt, String retryAfter) {
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        Instant endedAt = startedAt.plusMillis(durationMs);
        return new AttemptReport(ids.next(), delivery.attempt(), startedAt, durationMs, outcome, excerpt,
                RetryAfter.parse(retryAfter, endedAt), worker);
    }

    /** Keeps the first bytes of a response body for the attempt record and discards the rest. */
    private static final class ExcerptListener implements Response.Listener {

        record Completed(Result result, String excerpt) {
        }

        private final Consumer<Completed> onComplete;
        private final ByteArrayOutputStream excerpt = new ByteArrayOutputStream();

        ExcerptListener(Consumer<Completed> onComplete) {
            this.onComplete = onComplete;
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            int room = AttemptRecorded.MAX_EXCERPT_CHARS - excerpt.size();
            if (room > 0) {
                int take = Math.min(room, content.remaining());
                byte[] chunk = new byte[take];
                content.get(chunk);
                excerpt.write(chunk, 0, take);
            }
        }

        @Override
        public void onComplete(Result result) {
            String text = excerpt.size() == 0 ? null : excerpt.toString(StandardCharsets.UTF_8);
            onComplete.accept(new Completed(result, text));
        }
    }

    @Override
    public void destroy() throws Exception {
        http.stop();
    }
}
