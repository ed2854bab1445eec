package dev.shardhook.proxy.http;

import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.proxy.upstream.UpstreamShard;
import dev.shardhook.proxy.upstream.Upstreams;
import dev.shardhook.support.http.Exchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.stream.Collectors;

/** The proxy's own endpoints: liveness, readiness, the cluster as it sees it, and metrics. */
final class ProxyEndpoints {
  private final Upstreams upstreams;
  private final ShardMap map;
  private final PrometheusMeterRegistry registry;

  ProxyEndpoints(Upstreams upstreams, ShardMap map, PrometheusMeterRegistry registry) {
    this.upstreams = upstreams;
    this.map = map;
    this.registry = registry;
  }

  void health(Exchange exchange) {
    exchange.sendJson(200, Map.of("status", "UP"));
  }

  /**
   * Ready while some shard is reachable. One dead shard must not take every proxy out of the load
   * balancer (the other shards' traffic would go down with it); it shows in {@code /status}.
   */
  void ready(Exchange exchange) {
    if (!upstreams.anyReachable()) {
      String shards =
          upstreams.shards().stream().map(UpstreamShard::id).collect(Collectors.joining(", "));
      throw new ShardUnavailableException(
          "no node of any shard is reachable (" + shards + ")", false);
    }
    exchange.sendJson(200, Map.of("status", "READY"));
  }

  void status(Exchange exchange) {
    exchange.sendJson(200, ProxyStatus.of(upstreams, map));
  }

  void metrics(Exchange exchange) {
    exchange.sendText(200, Exchange.PROMETHEUS_TEXT, registry.scrape());
  }
}
