package dev.shardhook.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One shard's nodes and which of them to send a request to, in order. */
public final class UpstreamShard {
  private final String id;
  private final List<UpstreamNode> nodes;

  UpstreamShard(String id, List<UpstreamNode> nodes) {
    this.id = id;
    this.nodes = List.copyOf(nodes);
  }

  public String id() {
    return id;
  }

  public List<UpstreamNode> nodes() {
    return nodes;
  }

  /**
   * The leader as far as the proxy knows: a node that says it leads (the highest term wins while an
   * old leader has not noticed it was deposed), else the one the up nodes name.
   */
  public Optional<UpstreamNode> leader() {
    Optional<UpstreamNode> self =
        nodes.stream()
            .filter(UpstreamNode::isLeader)
            .max(Comparator.comparingLong(n -> n.view().term()));
    if (self.isPresent()) {
      return self;
    }
    Optional<UpstreamNode.View> informed =
        nodes.stream()
            .map(UpstreamNode::view)
            .filter(v -> v.health() == UpstreamNode.Health.UP && v.leaderId() != null)
            .max(Comparator.comparingLong(UpstreamNode.View::term));
    return informed.flatMap(
        v ->
            nodes.stream()
                .filter(n -> v.leaderId().equals(n.view().nodeId()))
                .filter(n -> n.view().health() != UpstreamNode.Health.DOWN)
                .findFirst());
  }

  /**
   * The nodes to try, best first: the leader (any node can take a request, the leader saves a hop),
   * then nodes known to be up, then nodes not polled yet. Nodes known to be down or behind an open
   * breaker are left out, so a dead shard is refused at once instead of after timeouts.
   */
  List<UpstreamNode> candidates() {
    List<UpstreamNode> out = new ArrayList<>(nodes.size());
    leader().filter(UpstreamNode::selectable).ifPresent(out::add);
    for (UpstreamNode.Health health :
        List.of(UpstreamNode.Health.UP, UpstreamNode.Health.UNKNOWN)) {
      for (UpstreamNode n : nodes) {
        if (n.view().health() == health && n.selectable() && !out.contains(n)) {
          out.add(n);
        }
      }
    }
    return out;
  }

  /** Whether the last word on some node is that it is up (what {@code /ready} asks). */
  public boolean reachable() {
    return nodes.stream().anyMatch(n -> n.view().health() == UpstreamNode.Health.UP);
  }

  /** Whether a request would be tried at all (what placing a fresh id asks). */
  public boolean available() {
    return nodes.stream().anyMatch(UpstreamNode::selectable);
  }
}
