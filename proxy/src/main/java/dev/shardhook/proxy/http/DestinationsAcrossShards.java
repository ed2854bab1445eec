package dev.shardhook.proxy.http;

import dev.shardhook.api.Destination;
import dev.shardhook.api.DestinationHosts;
import dev.shardhook.api.DestinationList;
import dev.shardhook.api.EnabledDestination;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import dev.shardhook.proxy.upstream.ParallelCalls;
import dev.shardhook.proxy.upstream.UpstreamShard;
import dev.shardhook.proxy.upstream.Upstreams;
import dev.shardhook.support.http.Exchange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /destinations} and {@code POST /destinations/{host}:enable} through the proxy (README,
 * "Destinations"): every shard's leader keeps its own destination health, so both go to every shard
 * in parallel. The list is merged per host (see {@link #merge}); enabling is done on every shard,
 * since each may have disabled the host on its own. A shard that did not answer is listed in {@code
 * partial}.
 */
record DestinationsAcrossShards(Upstreams upstreams, Forwarder forwarder) {

  void list(Exchange exchange) {
    Map<String, ParallelCalls.Outcome<NodeAnswer>> answers =
        toEveryShard(NodeRequest.get(DestinationHosts.PATH, Credentials.of(exchange)));
    Map<String, List<Destination>> byShard = new LinkedHashMap<>();
    List<String> partial = new ArrayList<>();
    for (Map.Entry<String, ParallelCalls.Outcome<NodeAnswer>> e : answers.entrySet()) {
      NodeAnswer a = e.getValue().value();
      if (a != null && a.status() == 200) {
        byShard.put(e.getKey(), read(a, DestinationList.class).destinations());
      } else if (a != null && a.status() >= 400 && a.status() < 500) {
        // the same refusal (a key without access) on every shard: pass it on
        PassOn.answer(exchange, a);
        return;
      } else {
        partial.add(e.getKey());
      }
    }
    if (byShard.isEmpty() && !partial.isEmpty()) {
      throw new ShardUnavailableException(
          "no shard could list its destinations; try again shortly", false);
    }
    exchange.sendJson(200, new DestinationList(merge(byShard), partial));
  }

  void enable(Exchange exchange) {
    String host = DestinationHosts.enabledHost(exchange.path());
    NodeRequest request =
        new NodeRequest(
            "POST",
            DestinationHosts.enablePath(host),
            new byte[0],
            null,
            true,
            Credentials.of(exchange));
    Map<String, ParallelCalls.Outcome<NodeAnswer>> answers = toEveryShard(request);
    Map<String, EnabledDestination> shards = new LinkedHashMap<>();
    List<String> partial = new ArrayList<>();
    boolean was = false;
    for (Map.Entry<String, ParallelCalls.Outcome<NodeAnswer>> e : answers.entrySet()) {
      NodeAnswer a = e.getValue().value();
      if (a != null && a.status() == 200) {
        EnabledDestination one = read(a, EnabledDestination.class);
        shards.put(e.getKey(), one);
        was |= one.wasDisabled();
      } else if (a != null && a.status() >= 400 && a.status() < 500) {
        PassOn.answer(exchange, a);
        return;
      } else {
        partial.add(e.getKey());
      }
    }
    if (shards.isEmpty()) {
      throw new ShardUnavailableException(
          "no shard could enable " + host + "; try again shortly", false);
    }
    exchange.sendJson(200, new EnabledDestination(host, was, shards, partial));
  }

  /**
   * One entry per host from the shards' lists: the worst state, the lowest limit and success rate,
   * the highest latencies, running and queued summed, the earliest failing and disabled times, and
   * each shard's own entry under {@code shards}.
   */
  static List<Destination> merge(Map<String, List<Destination>> byShard) {
    Map<String, Map<String, Destination>> byHost = new TreeMap<>();
    byShard.forEach(
        (shard, list) ->
            list.forEach(
                d -> byHost.computeIfAbsent(d.host(), h -> new LinkedHashMap<>()).put(shard, d)));
    List<Destination> out = new ArrayList<>();
    byHost.forEach(
        (host, shards) -> {
          String state = Destination.HEALTHY;
          int limit = Integer.MAX_VALUE;
          int max = Integer.MAX_VALUE;
          int running = 0;
          int queued = 0;
          Double rate = null;
          Destination.Latency latency = null;
          Instant failingSince = null;
          Instant disabledAt = null;
          String reason = null;
          for (Destination d : shards.values()) {
            if (Destination.severity(d.state()) > Destination.severity(state)) {
              state = d.state();
            }
            limit = Math.min(limit, d.concurrencyLimit());
            max = Math.min(max, d.maxConcurrency());
            running += d.running();
            queued += d.queued();
            if (d.successRate() != null) {
              rate = rate == null ? d.successRate() : Math.min(rate, d.successRate());
            }
            if (d.latencyMs() != null) {
              latency =
                  latency == null
                      ? d.latencyMs()
                      : new Destination.Latency(
                          Math.max(latency.p50(), d.latencyMs().p50()),
                          Math.max(latency.p95(), d.latencyMs().p95()));
            }
            failingSince = earliest(failingSince, d.failingSince());
            if (d.disabledAt() != null
                && (disabledAt == null || d.disabledAt().isBefore(disabledAt))) {
              disabledAt = d.disabledAt();
              reason = d.disabledReason();
            }
          }
          out.add(
              new Destination(
                  host,
                  state,
                  null,
                  limit,
                  max,
                  running,
                  queued,
                  rate,
                  latency,
                  failingSince,
                  disabledAt,
                  reason,
                  shards));
        });
    return out;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private Map<String, ParallelCalls.Outcome<NodeAnswer>> toEveryShard(NodeRequest request) {
    Map<String, NodeRequest> calls = new LinkedHashMap<>();
    for (UpstreamShard shard : upstreams.shards()) {
      calls.put(shard.id(), request);
    }
    return ParallelCalls.run(calls, calls.size(), forwarder::forward);
  }

  private static <T> T read(NodeAnswer answer, Class<T> type) {
    try {
      return WireJson.mapper().readValue(answer.body(), type);
    } catch (IOException e) {
      throw new IllegalStateException("a node answered destinations the proxy cannot read", e);
    }
  }
}
