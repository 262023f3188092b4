package io.sluice.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A black-box client of Sluice's REST API, as a user's program would call it. */
final class SluiceClient {

    record Answer(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
    }

    record Tenant(String organizationId, String apiKey) {
    }

    record Receiver(String id, String secret) {
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    SluiceClient(String base) {
        this.base = base;
    }

    Tenant newOrganization(String slug) {
        Answer created = post(null, "/api/v1/organizations", "{\"name\":\"" + slug + "\",\"slug\":\"" + slug + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("creating an organization answered " + created.status() + " " + created.raw());
        }
        return new Tenant(created.body().get("organization").get("id").asString(),
                created.body().get("api_key").get("key").asString());
    }

    Receiver newEndpoint(Tenant tenant, String url) {
        Answer created = post(tenant.apiKey(), "/api/v1/endpoints", "{\"url\":\"" + url + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("creating an endpoint answered " + created.status() + " " + created.raw());
        }
        return new Receiver(created.body().get("id").asString(), created.body().get("secret").asString());
    }

    Answer post(String apiKey, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(apiKey, request);
    }

    Answer patch(String apiKey, String path, String json) {
        return send(apiKey, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer put(String apiKey, String path, String json) {
        return send(apiKey, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Receiver newEndpoint(Tenant tenant, String url, String settings) {
        Answer created = post(tenant.apiKey(), "/api/v1/endpoints", "{\"url\":\"" + url + "\"," + settings + "}");
        if (created.status() != 201) {
            throw new IllegalStateException("creating an endpoint answered " + created.status() + " " + created.raw());
        }
        return new Receiver(created.body().get("id").asString(), created.body().get("secret").asString());
    }

    Answer delete(String apiKey, String path) {
        return send(apiKey, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).DELETE());
    }

    Answer get(String apiKey, String path) {
        return send(apiKey, HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET());
    }

    /** Any request, with headers of its own (the JSON content type is set when there is a body). */
    Answer send(String method, String path, String json, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return send(null, request);
    }

    private Answer send(String apiKey, HttpRequest.Builder request) {
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            boolean json = response.headers().firstValue("Content-Type").map(t -> t.contains("json")).orElse(true);
            JsonNode body = raw == null || raw.isBlank() || !json ? null : JSON.readTree(raw);
            return new Answer(response.statusCode(), body, raw, response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
