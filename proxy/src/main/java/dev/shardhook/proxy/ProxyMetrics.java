package dev.shardhook.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's meters, named {@code shardhook.proxy.*} (Prometheus: {@code shardhook_proxy_*}). Tags
 * take values from small fixed sets (routes, methods, statuses, shards and nodes of the map), never
 * from request content, so a client cannot grow the number of series.
 */
public final class ProxyMetrics {
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE");

  private final MeterRegistry registry;

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  MeterRegistry registry() {
    return registry;
  }

  /** One request answered by the proxy, by route template ({@code /jobs/{id}}), method, status. */
  public void request(String route, String method, int status) {
    Counter.builder("shardhook.proxy.requests")
        .description("Requests answered by the proxy")
        .tag("route", route)
        .tag("method", METHODS.contains(method) ? method : "OTHER")
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
  }

  /**
   * One call to a node and its outcome: the node's status code, or {@code connect_error}, {@code
   * io_error}, {@code timeout}.
   */
  public void forwarded(String shard, String outcome, long nanos) {
    Timer.builder("shardhook.proxy.forward")
        .description("Calls from the proxy to a shard's nodes")
        .tag("shard", shard)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void breakerTransition(String shard, String node, String from, String to) {
    Counter.builder("shardhook.proxy.breaker.transitions")
        .description("Circuit breaker state changes, per node")
        .tag("shard", shard)
        .tag("node", node)
        .tag("from", from)
        .tag("to", to)
        .register(registry)
        .increment();
  }

  public void pollFailed(String shard, String node) {
    Counter.builder("shardhook.proxy.status.poll.failures")
        .description("Failed GET /status polls of a node")
        .tag("shard", shard)
        .tag("node", node)
        .register(registry)
        .increment();
  }
}
