package dev.shardhook.proxy.upstream;

import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.proxy.ProxyMetrics;
import dev.shardhook.support.config.BreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every shard of the map with its nodes, each node with its own circuit breaker. */
public final class Upstreams {
  private final Map<String, UpstreamShard> shards = new LinkedHashMap<>();

  public Upstreams(ShardMap map, BreakerConfig config, ProxyMetrics metrics) {
    // A failure is a call that could not connect, broke off or timed out, or a 5xx other than 503
    // (503 is a node answering correctly that its group has no leader): see BreakerGuard.
    CircuitBreakerConfig breakers = config.circuitBreakerConfig();
    for (ShardMap.Shard shard : map.shards()) {
      List<UpstreamNode> nodes = new ArrayList<>();
      for (URI url : shard.nodes()) {
        CircuitBreaker breaker = CircuitBreaker.of(shard.id() + " " + url, breakers);
        breaker
            .getEventPublisher()
            .onStateTransition(
                e ->
                    metrics.breakerTransition(
                        shard.id(),
                        url.toString(),
                        e.getStateTransition().getFromState().name(),
                        e.getStateTransition().getToState().name()));
        nodes.add(new UpstreamNode(shard.id(), url, breaker, config.openDuration()));
      }
      shards.put(shard.id(), new UpstreamShard(shard.id(), nodes));
    }
  }

  /**
   * @throws IllegalArgumentException for a shard the map does not have (a bug: ids come from it)
   */
  public UpstreamShard shard(String id) {
    UpstreamShard shard = shards.get(id);
    if (shard == null) {
      throw new IllegalArgumentException("no shard '" + id + "' in the map");
    }
    return shard;
  }

  public List<UpstreamShard> shards() {
    return List.copyOf(shards.values());
  }

  public List<UpstreamNode> nodes() {
    return shards.values().stream().flatMap(s -> s.nodes().stream()).toList();
  }

  public boolean anyReachable() {
    return shards.values().stream().anyMatch(UpstreamShard::reachable);
  }
}
