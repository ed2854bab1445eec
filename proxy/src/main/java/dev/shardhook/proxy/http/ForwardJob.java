package dev.shardhook.proxy.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.proxy.routing.RoutingIds;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import dev.shardhook.support.http.Endpoint;
import dev.shardhook.support.http.Exchange;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code POST /jobs}: fixes the job's id, picks its shard and passes the node's answer back
 * unchanged. Bad JSON and bad ids or keys are refused here, as a node would refuse them; every
 * other check is the node's.
 */
final class ForwardJob implements Endpoint {
  /** Shards tried for a job with a fresh id before giving up with 503. */
  static final int MAX_FRESH_SHARDS = 3;

  private final Placement placement;
  private final Forwarder forwarder;
  private final int maxRequestBytes;

  ForwardJob(Placement placement, Forwarder forwarder, int maxRequestBytes) {
    this.placement = placement;
    this.forwarder = forwarder;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void handle(Exchange exchange) {
    byte[] clientBody = exchange.readJsonBody(maxRequestBytes);
    JsonNode tree = ProxyJson.read(clientBody);
    if (!(tree instanceof ObjectNode job)) {
      throw new InvalidJobException("request body: expected a JSON object");
    }
    String key = exchange.header("Idempotency-Key");
    RoutingIds.RoutingId routing = RoutingIds.read(job, key, exchange.tenant());
    Credentials credentials = Credentials.of(exchange);
    String orderingKey = RoutingIds.orderingKey(job);
    NodeAnswer answer;
    if (orderingKey != null) {
      // The key picks the shard; a fresh id is drawn there so GET by id finds it directly.
      String shard = placement.keyShard(exchange.tenant(), orderingKey);
      byte[] body = clientBody;
      if (routing.source() == RoutingIds.Source.GENERATED) {
        job.put("id", placement.idOn(shard));
        body = ProxyJson.write(job);
      } else if (routing.bodyChanged()) {
        body = ProxyJson.write(job);
      }
      answer = forwarder.forward(shard, NodeRequest.post("/jobs", body, key, credentials));
    } else if (routing.source() == RoutingIds.Source.GENERATED) {
      answer = submitFresh(job, credentials);
    } else {
      byte[] body = routing.bodyChanged() ? ProxyJson.write(job) : clientBody;
      String shard = placement.submitTarget(routing.id(), credentials);
      answer = forwarder.forward(shard, NodeRequest.post("/jobs", body, key, credentials));
    }
    PassOn.answer(exchange, answer);
  }

  /**
   * A job without id or key: any id will do, so one whose shard cannot be reached at all is swapped
   * for one that lands elsewhere (docs/architecture.md §4). Only when no node can have seen the
   * request, though; after that its id is part of it.
   */
  private NodeAnswer submitFresh(ObjectNode job, Credentials credentials) {
    Set<String> unreachable = new HashSet<>();
    ShardUnavailableException last = null;
    for (int i = 0; i < MAX_FRESH_SHARDS; i++) {
      String id = placement.freshId(unreachable);
      String shard = placement.newestShard(id);
      if (unreachable.contains(shard)) {
        break;
      }
      job.put("id", id);
      try {
        return forwarder.forward(
            shard, NodeRequest.post("/jobs", ProxyJson.write(job), null, credentials));
      } catch (ShardUnavailableException e) {
        if (!e.untouched()) {
          throw e;
        }
        unreachable.add(shard);
        last = e;
      }
    }
    throw last != null
        ? last
        : new ShardUnavailableException("no shard is reachable; try again shortly", true);
  }
}
