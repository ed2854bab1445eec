package dev.shardhook.node.http;

import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.node.NodeState;
import dev.shardhook.support.http.Exchange;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Optional;

/** The node's own endpoints: liveness, readiness, Raft status and metrics. */
final class NodeEndpoints {
  private final NodeState state;
  private final PrometheusMeterRegistry registry;

  NodeEndpoints(NodeState state, PrometheusMeterRegistry registry) {
    this.state = state;
    this.registry = registry;
  }

  void health(Exchange exchange) {
    Optional<String> down = state.downReason();
    if (down.isPresent()) {
      exchange.sendJson(503, Map.of("status", "DOWN", "reason", down.get()));
      return;
    }
    exchange.sendJson(200, Map.of("status", "UP"));
  }

  void ready(Exchange exchange) {
    Optional<String> reason = state.notReadyReason();
    if (reason.isPresent()) {
      throw new ShardUnavailableException(reason.get(), null);
    }
    exchange.sendJson(200, Map.of("status", "READY"));
  }

  void status(Exchange exchange) {
    exchange.sendJson(200, state.status());
  }

  void metrics(Exchange exchange) {
    exchange.sendText(200, Exchange.PROMETHEUS_TEXT, registry.scrape());
  }
}
