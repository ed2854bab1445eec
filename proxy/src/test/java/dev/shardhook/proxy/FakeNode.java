package dev.shardhook.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardhook.api.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A scripted stand-in for a shard node on a {@code MockWebServer}: answers {@code GET /status} as a
 * node of its shard with its role, answers job requests from a script (then with a default that
 * echoes the job's id), and records every job request it got.
 */
final class FakeNode implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final String shardId;
  private final String nodeId;
  private volatile String role;
  private volatile String leaderId;
  private volatile boolean stalled;
  private final Queue<MockResponse> script = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> jobRequests = new CopyOnWriteArrayList<>();
  private volatile Function<RecordedRequest, MockResponse> otherwise;

  private FakeNode(String shardId, String nodeId, String role) {
    this.shardId = shardId;
    this.nodeId = nodeId;
    this.role = role;
    this.otherwise = request -> echo(request, shardId);
  }

  static FakeNode start(String shardId, String nodeId, String role) {
    FakeNode node = new FakeNode(shardId, nodeId, role);
    node.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return node.answer(request);
          }
        });
    try {
      node.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return node;
  }

  String url() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  void role(String role, String leaderId) {
    this.role = role;
    this.leaderId = leaderId;
  }

  /** Whether its status reports it as a replica that stopped applying. */
  void stalled(boolean stalled) {
    this.stalled = stalled;
  }

  /** Answers the next job requests with these, in order. */
  void script(MockResponse... responses) {
    script.addAll(List.of(responses));
  }

  /** Answers job requests with this once the script is used up. */
  void otherwise(Function<RecordedRequest, MockResponse> answer) {
    otherwise = answer;
  }

  List<RecordedRequest> jobRequests() {
    return List.copyOf(jobRequests);
  }

  private MockResponse answer(RecordedRequest request) {
    if (request.getUrl().encodedPath().equals("/status")) {
      ObjectNode status =
          JsonNodeFactory.instance
              .objectNode()
              .put("nodeId", nodeId)
              .put("shardId", shardId)
              .put("role", role)
              .put("leaderId", leaderId)
              .put("term", 3)
              .put("stalled", stalled);
      return json(200, status.toString());
    }
    jobRequests.add(request);
    MockResponse next = script.poll();
    return next != null ? next : otherwise.apply(request);
  }

  static MockResponse json(int code, String body, String... headerPairs) {
    MockResponse.Builder b =
        new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json");
    for (int i = 0; i + 1 < headerPairs.length; i += 2) {
      b.addHeader(headerPairs[i], headerPairs[i + 1]);
    }
    return b.body(body).build();
  }

  static MockResponse problem(int code, String detail) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/problem+json")
        .addHeader("Retry-After", "1")
        .body(
            JsonNodeFactory.instance
                .objectNode()
                .put("type", "https://shardhook.dev/problems/shard-unavailable")
                .put("status", code)
                .put("detail", detail)
                .toString())
        .build();
  }

  /** 201 with the job's id for {@code POST /jobs}; 207 with one result per item for a batch. */
  static MockResponse echo(RecordedRequest request, String shardId) {
    JsonNode body = body(request);
    if (request.getUrl().encodedPath().equals("/jobs:batch")) {
      ArrayNode results = JsonNodeFactory.instance.arrayNode();
      body.forEach(
          item ->
              results.add(
                  JsonNodeFactory.instance
                      .objectNode()
                      .put("status", 201)
                      .set("job", job(item.path("id").asText(), shardId))));
      return json(207, results.toString());
    }
    String id = body == null ? "none" : body.path("id").asText();
    return json(201, job(id, shardId).toString(), "Location", "/jobs/" + id);
  }

  private static ObjectNode job(String id, String shardId) {
    return JsonNodeFactory.instance.objectNode().put("id", id).put("shardId", shardId);
  }

  /** The request body as JSON, or null when it has none. */
  static JsonNode body(RecordedRequest request) {
    if (request.getBody() == null || request.getBody().size() == 0) {
      return null;
    }
    try {
      return WireJson.mapper().readTree(request.getBody().utf8());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final AtomicBoolean closed = new AtomicBoolean();

  /** Stops the server: its port refuses connections from now on. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.close();
    }
  }
}
