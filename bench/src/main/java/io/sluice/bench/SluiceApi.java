package io.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls of the Sluice HTTP API the benchmark needs: create an organization (which yields an
 * API key), register a receiver as an endpoint, enqueue jobs in bulk, and read the metrics.
 *
 * <p>Why the JDK {@link HttpClient} on HTTP/1.1 and virtual threads: it needs no dependency, keeps
 * connections alive, and a blocking call per virtual thread makes "{@code concurrency} requests in
 * flight" literally true, with no pipeline of callbacks to reason about. HTTP/1.1 rather than h2c
 * because that is what most producers of webhooks will use against the ingest API.
 *
 * <p>Every answer is checked strictly: a figure computed after a partly failed enqueue would be
 * meaningless, so anything but the documented status and body throws {@link BenchFailure}.
 */
public final class SluiceApi implements AutoCloseable {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI baseUrl;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private final JsonMapper json = JsonMapper.builder().build();

    public SluiceApi(URI baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    /** {@code POST /api/v1/organizations}; returns the organization's API key. */
    public String createOrganization(String name, String slug) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("slug", slug);
        JsonNode answer = send("/api/v1/organizations", null, json.writeValueAsString(body), 201);
        String key = answer.path("api_key").path("key").asString("");
        if (key.isEmpty()) {
            throw new BenchFailure("POST /api/v1/organizations: no api_key.key in " + answer);
        }
        return key;
    }

    /** {@code POST /api/v1/endpoints} with Sluice's default timeout; returns the endpoint id. */
    public String createEndpoint(String apiKey, URI url, String description) {
        return createEndpoint(apiKey, url, description, null);
    }

    /**
     * {@code POST /api/v1/endpoints}; returns the endpoint id.
     *
     * @param timeoutSeconds the endpoint's {@code timeout_seconds} (1 to 60), null for Sluice's default
     */
    public String createEndpoint(String apiKey, URI url, String description, Integer timeoutSeconds) {
        return createEndpoint(apiKey, url, description, timeoutSeconds, List.of());
    }

    /**
     * {@code POST /api/v1/endpoints}; returns the endpoint id.
     *
     * @param eventTypes the message types it receives; empty: every type
     */
    public String createEndpoint(String apiKey, URI url, String description, Integer timeoutSeconds,
                                 List<String> eventTypes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url.toString());
        body.put("description", description);
        if (timeoutSeconds != null) {
            body.put("timeout_seconds", timeoutSeconds);
        }
        if (!eventTypes.isEmpty()) {
            body.put("event_types", eventTypes);
        }
        JsonNode answer = send("/api/v1/endpoints", apiKey, json.writeValueAsString(body), 201);
        String id = answer.path("id").asString("");
        if (id.isEmpty()) {
            throw new BenchFailure("POST /api/v1/endpoints: no id in " + answer);
        }
        return id;
    }

    /**
     * {@code POST /api/v1/jobs/bulk} with a prepared body of {@code expectedJobs} jobs; throws
     * unless every one of them was accepted.
     */
    public void enqueueBulk(String apiKey, String body, int expectedJobs) {
        JsonNode answer = send("/api/v1/jobs/bulk", apiKey, body, 200);
        int failures = answer.path("failure_count").asInt(-1);
        JsonNode failed = answer.path("failed");
        int succeeded = answer.path("succeeded").size();
        if (failures != 0 || failed.size() != 0 || succeeded != expectedJobs
                || answer.path("success_count").asInt(-1) != expectedJobs) {
            throw new BenchFailure("POST /api/v1/jobs/bulk: expected " + expectedJobs
                    + " jobs accepted, got success_count=" + answer.path("success_count")
                    + " failure_count=" + answer.path("failure_count") + ": " + abbreviate(answer.toString()));
        }
    }

    /** {@code POST /api/v1/jobs} with a prepared body of one job; throws unless it was created. */
    public void enqueueOne(String apiKey, String body) {
        JsonNode answer = send("/api/v1/jobs", apiKey, body, 201);
        if (!answer.path("created").asBoolean(false) || answer.path("id").asString("").isEmpty()) {
            throw new BenchFailure("POST /api/v1/jobs: expected a created job, got " + abbreviate(answer.toString()));
        }
    }

    /**
     * {@code POST /api/v1/messages} with a prepared body; throws unless it was accepted with
     * {@code expectedJobs} delivery jobs.
     */
    public void publishMessage(String apiKey, String body, int expectedJobs) {
        JsonNode answer = send("/api/v1/messages", apiKey, body, 202);
        if (answer.path("job_ids").size() != expectedJobs) {
            throw new BenchFailure("POST /api/v1/messages: expected " + expectedJobs + " jobs, got "
                    + abbreviate(answer.toString()));
        }
    }

    /**
     * {@code GET /actuator/prometheus}: Sluice's metrics in the Prometheus text format; all of
     * them, or only those named ({@code includedNames}), so a bench polling one counter every
     * 100 ms does not make Sluice write out every metric each time.
     *
     * @param names metric families, e.g. {@code sluice_scheduled_jobs_released} (a counter, without
     *              {@code _total}); none for all
     */
    public String prometheusText(String... names) {
        String query = names.length == 0 ? ""
                : "?includedNames=" + URLEncoder.encode(String.join(",", names), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus" + query))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BenchFailure("GET /actuator/prometheus: expected HTTP 200, got " + response.statusCode()
                        + ": " + abbreviate(response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw new BenchFailure("GET /actuator/prometheus failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("GET /actuator/prometheus interrupted", e);
        }
    }

    /** {@code POST /api/v1/schedules}; returns the schedule's id. */
    public String createSchedule(String apiKey, String body) {
        return send("/api/v1/schedules", apiKey, body, 201).path("id").asString("");
    }

    /** {@code GET /api/v1/jobs/stats?queue_name=}: the queue's jobs by state. */
    public JsonNode jobStats(String apiKey, String queueName) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/jobs/stats?queue_name=" + queueName))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .GET()
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BenchFailure("GET /api/v1/jobs/stats: HTTP " + response.statusCode() + ": "
                        + abbreviate(response.body()));
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new BenchFailure("GET /api/v1/jobs/stats failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("GET /api/v1/jobs/stats interrupted", e);
        }
    }

    private JsonNode send(String path, String apiKey, String body, int expectedStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BenchFailure("POST " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("POST " + path + " interrupted", e);
        }
        if (response.statusCode() != expectedStatus) {
            throw new BenchFailure("POST " + path + ": expected HTTP " + expectedStatus + ", got "
                    + response.statusCode() + ": " + abbreviate(response.body()));
        }
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw new BenchFailure("POST " + path + ": answer is not JSON: " + abbreviate(response.body()), e);
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "... (" + text.length() + " chars)";
    }

    @Override
    public void close() {
        client.close();
        executor.close();
    }
}
