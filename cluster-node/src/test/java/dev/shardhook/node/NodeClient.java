package dev.shardhook.node;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.Job;
import dev.shardhook.api.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** The node's HTTP API as a test calls it: plain requests, answers as they come. */
final class NodeClient implements AutoCloseable {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  HttpResponse<String> post(String url, String json, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  HttpResponse<String> put(String url, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .PUT(BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build());
  }

  HttpResponse<String> send(String method, String url) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(method, BodyPublishers.noBody())
            .build());
  }

  Job job(String base, String id) {
    HttpResponse<String> r = get(base + "/jobs/" + id);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /jobs/" + id + " -> " + r.statusCode() + " " + r.body());
    }
    return parse(r.body(), Job.class);
  }

  static <T> T parse(String json, Class<T> type) {
    try {
      return WireJson.mapper().readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(json, e);
    }
  }

  static JsonNode tree(String json) {
    try {
      return WireJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(json, e);
    }
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
