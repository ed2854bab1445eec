package dev.shardhook.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Reads a node's {@code GET /status}: its role, the leader it knows of, its attempts in flight. */
final class StatusProbe implements AutoCloseable {
  /**
   * The part of a node's status the scenarios use; {@code running} is the attempts in flight on it:
   * started and their outcomes not committed yet (the node's {@code inFlight}).
   */
  record NodeStatus(
      String nodeId, String role, String leaderId, long term, boolean leaderReady, int running) {
    boolean isReadyLeader() {
      return "LEADER".equals(role) && leaderReady;
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client;
  private final Duration timeout;

  StatusProbe(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The node's status; empty when it does not answer 200 with a status document. */
  Optional<NodeStatus> status(URI node) throws InterruptedException {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(node.toString() + "/status"))
              .timeout(timeout)
              .GET()
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode doc = MAPPER.readTree(response.body());
      return Optional.of(
          new NodeStatus(
              doc.path("nodeId").asText(null),
              doc.path("role").asText(""),
              doc.path("leaderId").isTextual() ? doc.path("leaderId").asText() : null,
              doc.path("term").asLong(),
              // nodes from before "leaderReady" existed: a LEADER is taken as ready
              doc.path("leaderReady").asBoolean(!doc.has("leaderReady")),
              // attempts whose outcomes are not committed yet; nodes before "inFlight": running
              doc.path("inFlight").asInt(doc.path("running").asInt())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
