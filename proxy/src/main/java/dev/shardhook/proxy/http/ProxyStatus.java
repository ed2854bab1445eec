package dev.shardhook.proxy.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.proxy.upstream.UpstreamNode;
import dev.shardhook.proxy.upstream.Upstreams;
import java.time.Instant;
import java.util.List;

/**
 * The proxy's {@code GET /status} document: every shard with its nodes as the proxy sees them, and
 * the ring epochs.
 *
 * @param ready what {@code /ready} would answer
 * @param shards every shard of the map
 * @param epochs the ring epochs, oldest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ProxyStatus(boolean ready, List<Shard> shards, List<Epoch> epochs) {

  /** An epoch as the map file writes it. */
  record Epoch(long epoch, List<String> shards) {}

  /**
   * @param leader URL of the node the proxy takes for the leader, or null
   * @param reachable whether some node is known to be up
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Shard(String id, String leader, boolean reachable, List<Node> nodes) {}

  /**
   * @param health UP, DOWN, or UNKNOWN before the first poll
   * @param healthy health is UP
   * @param breaker the circuit breaker's state: CLOSED, OPEN, HALF_OPEN
   * @param error why the node counts as down
   * @param checkedAt when the proxy last heard from or about it
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Node(
      String url,
      String nodeId,
      String role,
      boolean leader,
      boolean healthy,
      String health,
      String breaker,
      long term,
      String error,
      Instant checkedAt) {}

  static ProxyStatus of(Upstreams upstreams, ShardMap map) {
    List<Shard> shards =
        upstreams.shards().stream()
            .map(
                s -> {
                  UpstreamNode leader = s.leader().orElse(null);
                  List<Node> nodes = s.nodes().stream().map(n -> node(n, n == leader)).toList();
                  return new Shard(
                      s.id(),
                      leader == null ? null : leader.url().toString(),
                      s.reachable(),
                      nodes);
                })
            .toList();
    List<Epoch> epochs = map.epochs().stream().map(e -> new Epoch(e.number(), e.shards())).toList();
    return new ProxyStatus(upstreams.anyReachable(), shards, epochs);
  }

  private static Node node(UpstreamNode n, boolean leader) {
    UpstreamNode.View v = n.view();
    return new Node(
        n.url().toString(),
        v.nodeId(),
        v.role(),
        leader,
        v.health() == UpstreamNode.Health.UP,
        v.health().name(),
        n.breaker().getState().name(),
        v.term(),
        v.error(),
        v.checkedAt());
  }
}
