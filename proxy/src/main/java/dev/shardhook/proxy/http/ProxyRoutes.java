package dev.shardhook.proxy.http;

import dev.shardhook.api.DestinationHosts;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.proxy.ProxyMetrics;
import dev.shardhook.proxy.listing.ListAcrossShards;
import dev.shardhook.proxy.routing.EpochRings;
import dev.shardhook.proxy.routing.JobHomes;
import dev.shardhook.proxy.routing.RoutingIds;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.Upstreams;
import dev.shardhook.support.auth.Access;
import dev.shardhook.support.auth.TenantView;
import dev.shardhook.support.auth.TenantsSource;
import dev.shardhook.support.http.JobPaths;
import dev.shardhook.support.http.Routes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;

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
      int maxRequestBytes,
      TenantsSource tenants,
      Clock clock) {
    Placement placement = new Placement(ids, homes, rings, upstreams);
    FindJob find = new FindJob(rings, forwarder);
    ProxyEndpoints proxy = new ProxyEndpoints(upstreams, map, registry);
    ShardOperations operations = new ShardOperations(upstreams, forwarder, maxRequestBytes);
    ProxySchedules schedules = new ProxySchedules(rings, upstreams, forwarder, maxRequestBytes);
    String schedule = ProxySchedules.PREFIX + "{id}";
    ShardQueues queues = new ShardQueues(upstreams, forwarder, maxRequestBytes);
    DestinationsAcrossShards destinations = new DestinationsAcrossShards(upstreams, forwarder);
    return new Routes(INTERNAL_DETAIL, tenants.authenticator())
        .on("GET", DestinationHosts.PATH, Access.READ, destinations::list)
        .onPrefix(
            "POST",
            DestinationHosts.PREFIX,
            DestinationHosts.TEMPLATE,
            Access.ADMIN,
            destinations::enable)
        .on("POST", "/jobs", Access.SUBMIT, new ForwardJob(placement, forwarder, maxRequestBytes))
        .on(
            "POST",
            "/jobs:batch",
            Access.SUBMIT,
            new SplitBatch(placement, forwarder, maxRequestBytes))
        .on("GET", "/jobs", Access.READ, new ListAcrossShards(upstreams, forwarder)::list)
        .on("POST", "/jobs:replay", Access.SUBMIT, operations::start)
        .onPrefix(
            "GET", ShardOperations.OPERATIONS, "/operations/{id}", Access.READ, operations::get)
        .on("POST", ProxySchedules.PATH, Access.SUBMIT, schedules::create)
        .on("GET", ProxySchedules.PATH, Access.READ, schedules::list)
        .onPrefix("GET", ProxySchedules.PREFIX, schedule, Access.READ, schedules::get)
        .onPrefix("DELETE", ProxySchedules.PREFIX, schedule, Access.SUBMIT, schedules::delete)
        .onPrefix("POST", ProxySchedules.PREFIX, schedule, Access.SUBMIT, schedules::action)
        .on("GET", "/health", Access.OPEN, proxy::health)
        .on("GET", "/ready", Access.OPEN, proxy::ready)
        .on("GET", "/status", Access.OPEN, proxy::status)
        .on("GET", "/metrics", Access.ANY_KEY, proxy::metrics)
        .on(
            "GET",
            "/tenants",
            Access.ADMIN,
            e -> e.sendJson(200, TenantView.of(tenants.get(), clock.instant())))
        .onPrefix("GET", JobPaths.PREFIX, JobPaths.TEMPLATE, Access.READ, find::get)
        .onPrefix("DELETE", JobPaths.PREFIX, JobPaths.TEMPLATE, Access.SUBMIT, find::cancel)
        .onPrefix("POST", JobPaths.PREFIX, JobPaths.TEMPLATE, Access.SUBMIT, find::replay)
        // Named queues (README, "Queues"): configured on every shard.
        .on("GET", "/queues", Access.READ, queues::list)
        .onPrefix("GET", ShardQueues.PREFIX, ShardQueues.TEMPLATE, Access.READ, queues::get)
        .onPrefix("PUT", ShardQueues.PREFIX, ShardQueues.TEMPLATE, Access.ADMIN, queues::put)
        .onPrefix("DELETE", ShardQueues.PREFIX, ShardQueues.TEMPLATE, Access.ADMIN, queues::delete)
        .onPrefix("POST", ShardQueues.PREFIX, ShardQueues.TEMPLATE, Access.ADMIN, queues::action)
        .listener(metrics::request);
  }
}
