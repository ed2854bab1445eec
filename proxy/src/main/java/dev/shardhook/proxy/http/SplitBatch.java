package dev.shardhook.proxy.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardhook.api.BatchItemResult;
import dev.shardhook.api.Problem;
import dev.shardhook.api.problem.BadGatewayException;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.proxy.routing.BatchPlan;
import dev.shardhook.proxy.routing.RoutingIds;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import dev.shardhook.proxy.upstream.ParallelCalls;
import dev.shardhook.support.http.Endpoint;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.ProblemAnswers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /jobs:batch}: up to {@value #MAX_ITEMS} jobs. Fixes each item's id as {@link
 * ForwardJob} does, splits the items by shard, sends each shard its sub-batch at the same time, and
 * answers 207 with one result per item in request order. Items the proxy refuses itself, and items
 * of a shard that could not take its sub-batch, get a problem result of their own; only a body that
 * is no batch at all is refused whole.
 */
final class SplitBatch implements Endpoint {
  static final int MAX_ITEMS = 1000;

  /** Rounds of sub-batches: fresh-id items of an unreachable shard are placed again. */
  static final int MAX_ROUNDS = 3;

  /** Look-ups on older epochs' shards in flight at once for one batch. */
  static final int PROBE_CONCURRENCY = 32;

  private final Placement placement;
  private final Forwarder forwarder;
  private final int maxRequestBytes;

  SplitBatch(Placement placement, Forwarder forwarder, int maxRequestBytes) {
    this.placement = placement;
    this.forwarder = forwarder;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void handle(Exchange exchange) {
    JsonNode items = ProxyJson.read(exchange.readJsonBody(maxRequestBytes));
    checkShape(items);
    String instance = exchange.instance();
    BatchPlan plan = new BatchPlan(items.size());
    Credentials credentials = Credentials.of(exchange);

    Set<Integer> fresh = new HashSet<>();
    Map<Integer, String> fixed = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        if (!(items.get(i) instanceof ObjectNode job)) {
          throw new InvalidJobException("request body: expected a JSON object");
        }
        // Items carry their own keys; one header cannot stand for many jobs.
        RoutingIds.RoutingId routing = RoutingIds.read(job, null, exchange.tenant());
        String orderingKey = RoutingIds.orderingKey(job);
        if (orderingKey != null) {
          // The key picks the shard (README, "Ordering"); items of one key keep their order in
          // its sub-batch, which the node applies in order.
          String shard = placement.keyShard(exchange.tenant(), orderingKey);
          if (routing.source() == RoutingIds.Source.GENERATED) {
            job.put("id", placement.idOn(shard));
          }
          plan.route(i, shard);
        } else if (routing.source() == RoutingIds.Source.GENERATED) {
          fresh.add(i);
        } else {
          fixed.put(i, routing.id());
        }
      } catch (InvalidJobException e) {
        plan.settle(i, refused(e, instance));
      }
    }
    placeFixed(fixed, plan, instance, credentials);
    submitInRounds(items, fresh, plan, instance, credentials);
    exchange.sendJson(207, plan.results());
  }

  private static void checkShape(JsonNode items) {
    if (!items.isArray()) {
      throw new InvalidJobException("request body: expected a JSON array of job requests");
    }
    if (items.isEmpty() || items.size() > MAX_ITEMS) {
      throw new InvalidJobException(
          "request body: " + items.size() + " job requests; a batch holds 1 to " + MAX_ITEMS);
    }
  }

  /** Routes items with a fixed id, asking older epochs' shards where the ring changed for them. */
  private void placeFixed(
      Map<Integer, String> fixed, BatchPlan plan, String instance, Credentials credentials) {
    Map<Integer, String> needProbe = new LinkedHashMap<>();
    fixed.forEach(
        (i, id) -> {
          if (placement.needsProbe(id)) {
            needProbe.put(i, id);
          } else {
            plan.route(i, placement.newestShard(id));
          }
        });
    if (needProbe.isEmpty()) {
      return;
    }
    ParallelCalls.run(
            needProbe, PROBE_CONCURRENCY, (i, id) -> placement.submitTarget(id, credentials))
        .forEach(
            (i, target) -> {
              if (target.failure() == null) {
                plan.route(i, target.value());
              } else {
                plan.settle(i, failed(target.failure(), instance));
              }
            });
  }

  private void submitInRounds(
      JsonNode items,
      Set<Integer> fresh,
      BatchPlan plan,
      String instance,
      Credentials credentials) {
    Set<String> unreachable = new HashSet<>();
    List<Integer> toPlace = new ArrayList<>(fresh);
    for (int round = 1; ; round++) {
      for (int i : toPlace) {
        String id = placement.freshId(unreachable);
        ((ObjectNode) items.get(i)).put("id", id);
        plan.route(i, placement.newestShard(id));
      }
      toPlace = new ArrayList<>();
      Map<String, List<Integer>> subBatches = plan.takeRouted();
      if (subBatches.isEmpty()) {
        return;
      }
      Map<String, ParallelCalls.Outcome<NodeAnswer>> outcomes =
          ParallelCalls.run(
              subBatches,
              subBatches.size(),
              (shard, indexes) -> send(shard, items, indexes, credentials));
      for (Map.Entry<String, List<Integer>> e : subBatches.entrySet()) {
        String shard = e.getKey();
        List<Integer> indexes = e.getValue();
        ParallelCalls.Outcome<NodeAnswer> outcome = outcomes.get(shard);
        if (round < MAX_ROUNDS
            && outcome.failure() instanceof ShardUnavailableException u
            && u.untouched()) {
          // No node saw these items: fresh ones may go elsewhere under new ids.
          unreachable.add(shard);
          for (int i : indexes) {
            if (fresh.contains(i)) {
              toPlace.add(i);
            } else {
              plan.settle(i, failed(u, instance));
            }
          }
        } else {
          settle(plan, shard, indexes, outcome, instance);
        }
      }
    }
  }

  private NodeAnswer send(
      String shard, JsonNode items, List<Integer> indexes, Credentials credentials) {
    ArrayNode subBatch = JsonNodeFactory.instance.arrayNode(indexes.size());
    indexes.forEach(i -> subBatch.add(items.get(i)));
    return forwarder.forward(
        shard, NodeRequest.post("/jobs:batch", ProxyJson.write(subBatch), null, credentials));
  }

  /** A shard's answer to its sub-batch, spread over its items. */
  private static void settle(
      BatchPlan plan,
      String shard,
      List<Integer> indexes,
      ParallelCalls.Outcome<NodeAnswer> outcome,
      String instance) {
    if (outcome.failure() != null) {
      indexes.forEach(i -> plan.settle(i, failed(outcome.failure(), instance)));
      return;
    }
    NodeAnswer answer = outcome.value();
    if (answer.status() == 207) {
      JsonNode results = readQuietly(answer.body());
      if (results != null && results.isArray() && results.size() == indexes.size()) {
        List<JsonNode> list = new ArrayList<>();
        results.forEach(list::add);
        plan.settle(indexes, list);
        return;
      }
      BadGatewayException garbage =
          new BadGatewayException(
              "shard '"
                  + shard
                  + "' answered a batch of "
                  + indexes.size()
                  + " with something other than as many results");
      indexes.forEach(i -> plan.settle(i, refused(garbage, instance)));
      return;
    }
    // The node refused the whole sub-batch (no leader, too large, ...): each item shares the
    // node's problem, as each would have had it alone.
    JsonNode problem = readQuietly(answer.body());
    JsonNode result;
    if (problem != null && problem.isObject()) {
      ObjectNode item = JsonNodeFactory.instance.objectNode();
      item.put("status", answer.status());
      item.set("problem", problem);
      result = item;
    } else {
      result =
          refused(
              new BadGatewayException(
                  "shard '"
                      + shard
                      + "' answered the batch "
                      + answer.status()
                      + " without a problem document"),
              instance);
    }
    indexes.forEach(i -> plan.settle(i, result));
  }

  private static JsonNode readQuietly(byte[] body) {
    try {
      return ProxyJson.read(body);
    } catch (InvalidJobException e) {
      return null;
    }
  }

  private static JsonNode failed(Throwable failure, String instance) {
    Problem problem =
        ProblemAnswers.of(failure, instance, ProxyRoutes.INTERNAL_DETAIL, "a sub-batch");
    return ProxyJson.tree(new BatchItemResult(problem.status(), null, problem));
  }

  private static JsonNode refused(ProblemException e, String instance) {
    return ProxyJson.tree(new BatchItemResult(e.status(), null, e.toProblem(instance)));
  }
}
