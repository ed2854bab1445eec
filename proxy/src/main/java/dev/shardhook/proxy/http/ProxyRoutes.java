package dev.shardhook.proxy.http;

import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.proxy.ProxyMetrics;
import dev.shardhook.proxy.routing.EpochRings;
import dev.shardhook.proxy.routing.JobHomes;
import dev.shardhook.proxy.routing.RoutingIds;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.Upstreams;
import dev.shardhook.support.http.JobPaths;
import dev.shardhook.support.http.Routes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The proxy's route table: the job API it forwards, its own endpoints, and every answer counted by
 * route template.
 */
public final class ProxyRoutes {
  static final String INTERNAL_DETAIL = "the proxy failed to handle the request; see its log";

  private ProxyRoutes() {}

  /**
   * @param maxRequestBytes the largest request body the proxy reads
   */
  public static Routes of(
      RoutingIds ids,
      JobHomes homes,
      EpochRings rings,
      Upstreams upstreams,
      Forwarder forwarder,
      ShardMap map,
      PrometheusMeterRegistry registry,
      ProxyMetrics metrics,
      int maxRequestBytes) {
    Placement placement = new Placement(ids, homes, rings, upstreams);
    FindJob find = new FindJob(rings, forwarder);
    ProxyEndpoints proxy = new ProxyEndpoints(upstreams, map, registry);
    return new Routes(INTERNAL_DETAIL)
        .on("POST", "/jobs", new ForwardJob(placement, forwarder, maxRequestBytes))
        .on("POST", "/jobs:batch", new SplitBatch(placement, forwarder, maxRequestBytes))
        .on("GET", "/health", proxy::health)
        .on("GET", "/ready", proxy::ready)
        .on("GET", "/status", proxy::status)
        .on("GET", "/metrics", proxy::metrics)
        .onPrefix("GET", JobPaths.PREFIX, JobPaths.TEMPLATE, find::get)
        .onPrefix("DELETE", JobPaths.PREFIX, JobPaths.TEMPLATE, find::cancel)
        .listener(metrics::request);
  }
}
