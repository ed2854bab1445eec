package dev.shardhook.proxy.http;

import dev.shardhook.api.JobRules;
import dev.shardhook.api.Queue;
import dev.shardhook.api.QueueSpec;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.QueueProblemException;
import dev.shardhook.api.problem.RouteNotFoundException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import dev.shardhook.proxy.upstream.ParallelCalls;
import dev.shardhook.proxy.upstream.UpstreamShard;
import dev.shardhook.proxy.upstream.Upstreams;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.RequestJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /queues} through the proxy (README, "Queues"). A queue is configured on every shard: a
 * write goes to each shard in parallel, a {@code PUT} with {@code ?shards=N} so each stores its
 * share of the queue-wide limits. The answer is the queue with its counts summed over the shards
 * and each shard's own answer in {@code shards}; shards that did not answer are listed in {@code
 * partial}, and the status is then 207 (some shards took the change; send it again) or, when none
 * did, 503. A refusal (400, 404, 409) is the same on every shard and is passed on.
 */
record ShardQueues(Upstreams upstreams, Forwarder forwarder, int maxRequestBytes) {
  static final String PREFIX = "/queues/";
  static final String TEMPLATE = "/queues/{name}";

  void list(Exchange exchange) {
    Map<String, ParallelCalls.Outcome<NodeAnswer>> answers =
        toEveryShard(NodeRequest.get("/queues", Credentials.of(exchange)));
    Map<String, Map<String, Queue>> byName = new LinkedHashMap<>();
    List<String> partial = new ArrayList<>();
    answers.forEach(
        (shard, a) -> {
          if (a.value() == null || a.value().status() != 200) {
            partial.add(shard);
            return;
          }
          for (Queue q : read(a.value(), Queue.QueueList.class).queues()) {
            byName.computeIfAbsent(q.name(), n -> new LinkedHashMap<>()).put(shard, q);
          }
        });
    if (partial.size() == answers.size()) {
      throw unavailable();
    }
    List<Queue> queues = new ArrayList<>();
    byName.values().forEach(shards -> queues.add(merged(shards, List.of())));
    exchange.sendJson(200, new Queue.QueueList(queues, partial.isEmpty() ? null : partial));
  }

  void get(Exchange exchange) {
    String name = name(exchange);
    answer(exchange, toEveryShard(NodeRequest.get(PREFIX + name, Credentials.of(exchange))), 200);
  }

  void put(Exchange exchange) {
    String name = name(exchange);
    if (!JobRules.isQueueName(name)) {
      throw new InvalidJobException(
          "name: queue names match [A-Za-z0-9_-]{1,64}, got '" + Printable.of(name) + "'");
    }
    byte[] body = exchange.readJsonBody(maxRequestBytes);
    // Refused here, once, rather than by every shard.
    RequestJson.read(body, QueueSpec.class);
    String path = PREFIX + name + "?shards=" + upstreams.shards().size();
    answer(
        exchange,
        toEveryShard(new NodeRequest("PUT", path, body, null, true, Credentials.of(exchange))),
        200);
  }

  void delete(Exchange exchange) {
    String name = name(exchange);
    // Asked first, so a queue with pending jobs on one shard is not deleted on the others.
    for (ParallelCalls.Outcome<NodeAnswer> a :
        toEveryShard(NodeRequest.get(PREFIX + name, Credentials.of(exchange))).values()) {
      if (a.value() != null
          && a.value().status() == 200
          && read(a.value(), Queue.class).depth() > 0) {
        throw QueueProblemException.conflict(
            "queue '"
                + name
                + "' still holds pending jobs; purge it (POST /queues/"
                + name
                + ":purge) or wait until they finish");
      }
    }
    Map<String, ParallelCalls.Outcome<NodeAnswer>> answers =
        toEveryShard(NodeRequest.delete(PREFIX + name, Credentials.of(exchange)));
    Map<String, Object> shards = new LinkedHashMap<>();
    List<String> partial = new ArrayList<>();
    NodeAnswer refusal = null;
    int deleted = 0;
    for (Map.Entry<String, ParallelCalls.Outcome<NodeAnswer>> e : answers.entrySet()) {
      NodeAnswer a = e.getValue().value();
      if (a == null || a.status() >= 500) {
        partial.add(e.getKey());
      } else if (a.status() == 200) {
        deleted++;
        shards.put(e.getKey(), Map.of("status", 200));
      } else {
        shards.put(e.getKey(), Map.of("status", a.status()));
        // A shard without it (404) is fine once another deleted it; any other refusal stands.
        if (refusal == null || refusal.status() == 404) {
          refusal = a;
        }
      }
    }
    if (refusal != null && (refusal.status() != 404 || deleted == 0)) {
      PassOn.answer(exchange, refusal);
      return;
    }
    if (deleted == 0) {
      throw unavailable();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("deleted", true);
    out.put("shards", shards);
    if (!partial.isEmpty()) {
      out.put("partial", partial);
    }
    exchange.sendJson(partial.isEmpty() ? 200 : 207, out);
  }

  /** {@code POST /queues/{name}:pause}, {@code :resume}, {@code :purge}. */
  void action(Exchange exchange) {
    String rest = exchange.path().substring(PREFIX.length());
    int colon = rest.lastIndexOf(':');
    String action = colon < 0 ? "" : rest.substring(colon + 1);
    if (!List.of("pause", "resume", "purge").contains(action)) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    String name = rest.substring(0, colon);
    if (!JobRules.isQueueName(name)) {
      throw QueueProblemException.notFound(name);
    }
    Map<String, ParallelCalls.Outcome<NodeAnswer>> answers =
        toEveryShard(
            new NodeRequest(
                "POST", exchange.path(), new byte[0], null, true, Credentials.of(exchange)));
    if (!action.equals("purge")) {
      answer(exchange, answers, 200);
      return;
    }
    long cancelled = 0;
    Map<String, Object> shards = new LinkedHashMap<>();
    List<String> partial = new ArrayList<>();
    for (Map.Entry<String, ParallelCalls.Outcome<NodeAnswer>> e : answers.entrySet()) {
      NodeAnswer a = e.getValue().value();
      if (a != null && a.status() == 200) {
        long n = read(a, PurgeAnswer.class).cancelled();
        cancelled += n;
        shards.put(e.getKey(), Map.of("cancelled", n));
      } else if (a != null && a.status() < 500) {
        PassOn.answer(exchange, a);
        return;
      } else {
        partial.add(e.getKey());
      }
    }
    if (partial.size() == answers.size()) {
      throw unavailable();
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("cancelled", cancelled);
    out.put("shards", shards);
    if (!partial.isEmpty()) {
      out.put("partial", partial);
    }
    exchange.sendJson(partial.isEmpty() ? 200 : 207, out);
  }

  /** A purge's answer on one shard. */
  record PurgeAnswer(long cancelled) {}

  /**
   * One queue from the shards' answers: a refusal passed on, else the merged queue; 201 when any
   * shard created it, 207 when some shards did not answer, 503 when none did.
   */
  private void answer(
      Exchange exchange, Map<String, ParallelCalls.Outcome<NodeAnswer>> answers, int ok) {
    Map<String, Queue> shards = new LinkedHashMap<>();
    List<String> partial = new ArrayList<>();
    boolean created = false;
    for (Map.Entry<String, ParallelCalls.Outcome<NodeAnswer>> e : answers.entrySet()) {
      NodeAnswer a = e.getValue().value();
      if (a != null && (a.status() == ok || a.status() == 201)) {
        created |= a.status() == 201;
        shards.put(e.getKey(), read(a, Queue.class));
      } else if (a != null && a.status() < 500) {
        PassOn.answer(exchange, a);
        return;
      } else {
        partial.add(e.getKey());
      }
    }
    if (shards.isEmpty()) {
      throw unavailable();
    }
    exchange.sendJson(!partial.isEmpty() ? 207 : created ? 201 : ok, merged(shards, partial));
  }

  /** The first shard's configuration, counts summed, each shard's answer kept. */
  private static Queue merged(Map<String, Queue> shards, List<String> partial) {
    Queue first = shards.values().iterator().next();
    long depth = 0;
    long running = 0;
    long delivered = 0;
    long failed = 0;
    boolean configured = false;
    Instant updatedAt = null;
    for (Queue q : shards.values()) {
      depth += q.depth();
      running += q.running();
      delivered += q.delivered();
      failed += q.failed();
      configured |= q.configured();
      if (q.updatedAt() != null && (updatedAt == null || q.updatedAt().isAfter(updatedAt))) {
        updatedAt = q.updatedAt();
      }
    }
    return new Queue(
        first.name(),
        first.retry(),
        first.maxConcurrency(),
        first.ratePerSecond(),
        first.burst(),
        first.paused(),
        first.orderingOnFailure(),
        first.onDestinationDisabled(),
        first.limits(),
        depth,
        running,
        delivered,
        failed,
        configured,
        updatedAt,
        shards,
        partial.isEmpty() ? null : partial);
  }

  private static String name(Exchange exchange) {
    String name = exchange.path().substring(PREFIX.length());
    if (name.indexOf(':') >= 0) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    return name;
  }

  private Map<String, ParallelCalls.Outcome<NodeAnswer>> toEveryShard(NodeRequest request) {
    Map<String, NodeRequest> calls = new LinkedHashMap<>();
    for (UpstreamShard shard : upstreams.shards()) {
      calls.put(shard.id(), request);
    }
    return ParallelCalls.run(calls, calls.size(), forwarder::forward);
  }

  private static ShardUnavailableException unavailable() {
    return new ShardUnavailableException(
        "no shard answered; nothing is known to have changed, try again shortly", false);
  }

  private static <T> T read(NodeAnswer answer, Class<T> type) {
    try {
      return WireJson.mapper().readValue(answer.body(), type);
    } catch (IOException e) {
      throw new IllegalStateException(
          "a node answered what the proxy cannot read: "
              + new String(answer.body(), StandardCharsets.UTF_8),
          e);
    }
  }
}
