package dev.shardhook.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The sandbox's {@code DIR/sandbox.json}: the entry, the proxies, every shard's nodes with their
 * PIDs (null while a node is not running), and the API key clients send: the first tenant's of
 * {@code "apiKeys"} (null when the sandbox runs with {@code --insecure-no-auth}).
 */
record SandboxTopology(URI entry, List<Process> proxies, List<Shard> shards, String apiKey) {
  /** A proxy or a node: its id, HTTP URL and PID. */
  record Process(String id, URI url, Long pid) {}

  /** A shard and its nodes. */
  record Shard(String id, List<Process> nodes) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static SandboxTopology read(Path file) throws IOException {
    return parse(MAPPER.readTree(file.toFile()));
  }

  static SandboxTopology parse(String json) throws IOException {
    return parse(MAPPER.readTree(json));
  }

  private static SandboxTopology parse(JsonNode doc) throws IOException {
    if (!doc.path("entry").isTextual() || !doc.path("shards").isArray()) {
      throw new IOException("sandbox.json has no \"entry\" or no \"shards\"");
    }
    List<Process> proxies = new ArrayList<>();
    for (JsonNode proxy : doc.path("proxies")) {
      proxies.add(process(proxy));
    }
    List<Shard> shards = new ArrayList<>();
    for (JsonNode shard : doc.path("shards")) {
      List<Process> nodes = new ArrayList<>();
      for (JsonNode node : shard.path("nodes")) {
        nodes.add(process(node));
      }
      shards.add(new Shard(shard.path("id").asText(), List.copyOf(nodes)));
    }
    Iterator<JsonNode> keys = doc.path("apiKeys").elements();
    String apiKey = keys.hasNext() ? keys.next().asText(null) : null;
    return new SandboxTopology(
        URI.create(doc.path("entry").asText()), List.copyOf(proxies), List.copyOf(shards), apiKey);
  }

  private static Process process(JsonNode node) {
    JsonNode pid = node.path("pid");
    return new Process(
        node.path("id").asText(),
        URI.create(node.path("url").asText()),
        pid.canConvertToLong() ? pid.asLong() : null);
  }

  Optional<Shard> shard(String id) {
    return shards.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  Optional<Process> node(String id) {
    return shards.stream()
        .flatMap(s -> s.nodes().stream())
        .filter(n -> n.id().equals(id))
        .findFirst();
  }

  /**
   * Where clients send jobs: the entry; in a sandbox without proxies (a node is the entry) every
   * node, entry first, so that load can go on when the entry node is the one killed.
   */
  List<URI> entries() {
    if (!proxies.isEmpty()) {
      return List.of(entry);
    }
    List<URI> urls = new ArrayList<>(List.of(entry));
    shards.stream()
        .flatMap(s -> s.nodes().stream())
        .map(Process::url)
        .filter(url -> !url.equals(entry))
        .forEach(urls::add);
    return List.copyOf(urls);
  }
}
