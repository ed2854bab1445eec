package dev.shardhook.proxy.http;

import dev.shardhook.api.JobRules;
import dev.shardhook.api.Operation;
import dev.shardhook.api.ReplayFilter;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.RouteNotFoundException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.api.routing.OperationIds;
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
 * {@code POST /jobs:replay} and {@code GET /operations/{id}} (README, "Replaying failed jobs"):
 * every shard runs its own part of a bulk replay, so both go to every shard in parallel and the
 * answers are summed. The proxy always sends an {@code Idempotency-Key} (the client's, or a fresh
 * one), so every shard derives the same operation id and a retried call finds it again. A shard
 * that did not answer is listed in {@code partial}, never silently left out.
 */
record ShardOperations(Upstreams upstreams, Forwarder forwarder, int maxRequestBytes) {
  static final String OPERATIONS = "/operations/";

  void start(Exchange exchange) {
    byte[] body = exchange.readJsonBody(maxRequestBytes);
    if (body.length == 0) {
      body = "{}".getBytes(StandardCharsets.UTF_8);
    }
    // Refused here, once, rather than by every shard.
    RequestJson.read(body, ReplayFilter.class).resolved();
    String key = exchange.header("Idempotency-Key");
    if (key != null && !JobRules.isKey(key)) {
      throw new BadRequestException(
          "Idempotency-Key: must be 1 to "
              + JobRules.MAX_KEY_LENGTH
              + " printable ASCII characters");
    }
    if (key == null) {
      key = OperationIds.newKey();
    }
    String id = OperationIds.fromIdempotencyKey(exchange.tenant(), key);
    Map<String, ParallelCalls.Outcome<NodeAnswer>> answers =
        toEveryShard(NodeRequest.post("/jobs:replay", body, key, Credentials.of(exchange)));
    // A refusal (bad filter, key reused with another filter) is the same on every shard: pass it
    // on.
    for (ParallelCalls.Outcome<NodeAnswer> a : answers.values()) {
      if (a.value() != null && a.value().status() >= 400 && a.value().status() < 500) {
        PassOn.answer(exchange, a.value());
        return;
      }
    }
    exchange.header("Location", OPERATIONS + id);
    exchange.sendJson(202, sum(id, answers, 202));
  }

  void get(Exchange exchange) {
    String id = exchange.path().substring(OPERATIONS.length());
    if (!OperationIds.isValid(id)) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    Map<String, ParallelCalls.Outcome<NodeAnswer>> answers =
        toEveryShard(NodeRequest.get(OPERATIONS + id, Credentials.of(exchange)));
    boolean known = false;
    boolean allNotFound = true;
    for (ParallelCalls.Outcome<NodeAnswer> a : answers.values()) {
      int status = a.value() == null ? 0 : a.value().status();
      known |= status == 200;
      allNotFound &= status == 404;
    }
    if (!known) {
      if (allNotFound) {
        throw new RouteNotFoundException(exchange.path());
      }
      throw new ShardUnavailableException(
          "no shard could say whether operation '" + id + "' exists; try again shortly", false);
    }
    exchange.sendJson(200, sum(id, answers, 200));
  }

  private Map<String, ParallelCalls.Outcome<NodeAnswer>> toEveryShard(NodeRequest request) {
    Map<String, NodeRequest> calls = new LinkedHashMap<>();
    for (UpstreamShard shard : upstreams.shards()) {
      calls.put(shard.id(), request);
    }
    return ParallelCalls.run(calls, calls.size(), forwarder::forward);
  }

  /**
   * One operation from the shards' answers of status {@code ok}: counts summed, the earliest start,
   * running while any shard runs or any did not answer (its part may still run), the latest finish
   * once all are done. A shard that answered 404 has no part in it (it had not heard of it).
   */
  private static Operation sum(
      String id, Map<String, ParallelCalls.Outcome<NodeAnswer>> answers, int ok) {
    Map<String, Operation> shards = new LinkedHashMap<>();
    List<String> partial = new ArrayList<>();
    answers.forEach(
        (shard, a) -> {
          if (a.value() != null && a.value().status() == ok) {
            shards.put(shard, read(a.value()));
          } else if (a.value() == null || a.value().status() != 404) {
            partial.add(shard);
          }
        });
    long replayed = 0;
    long skipped = 0;
    boolean running = !partial.isEmpty();
    Instant createdAt = null;
    Instant finishedAt = null;
    ReplayFilter filter = null;
    for (Operation op : shards.values()) {
      replayed += op.replayed();
      skipped += op.skipped();
      running |= op.status() != Operation.Status.SUCCEEDED;
      filter = filter == null ? op.filter() : filter;
      if (op.createdAt() != null && (createdAt == null || op.createdAt().isBefore(createdAt))) {
        createdAt = op.createdAt();
      }
      if (op.finishedAt() != null && (finishedAt == null || op.finishedAt().isAfter(finishedAt))) {
        finishedAt = op.finishedAt();
      }
    }
    return new Operation(
        id,
        Operation.REPLAY,
        running ? Operation.Status.RUNNING : Operation.Status.SUCCEEDED,
        filter,
        createdAt,
        running ? null : finishedAt,
        replayed,
        skipped,
        shards,
        partial.isEmpty() ? null : partial);
  }

  private static Operation read(NodeAnswer answer) {
    try {
      return WireJson.mapper().readValue(answer.body(), Operation.class);
    } catch (IOException e) {
      throw new IllegalStateException("a node answered an operation the proxy cannot read", e);
    }
  }
}
