package dev.shardhook.proxy.http;

import dev.shardhook.api.JobRules;
import dev.shardhook.api.Schedule;
import dev.shardhook.api.ScheduleList;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.ProblemException;
import dev.shardhook.api.problem.RouteNotFoundException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.api.routing.ScheduleIds;
import dev.shardhook.proxy.routing.EpochRings;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Forwarder;
import dev.shardhook.proxy.upstream.NodeAnswer;
import dev.shardhook.proxy.upstream.NodeRequest;
import dev.shardhook.proxy.upstream.ParallelCalls;
import dev.shardhook.proxy.upstream.UpstreamShard;
import dev.shardhook.proxy.upstream.Upstreams;
import dev.shardhook.support.http.Exchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The schedule routes on the proxy (README, "Schedules"). A create goes to the shard of the
 * schedule's id, which the proxy derives from the tenant and the {@code Idempotency-Key} (a fresh
 * key when the client sent none, passed on so the node derives the same id); the routes on one
 * schedule find it by its id as job lookups do; {@code GET /schedules} asks every shard for the
 * page after the cursor and merges the pages by id.
 */
record ProxySchedules(EpochRings rings, Upstreams upstreams, Forwarder forwarder, int maxBytes) {
  static final String PATH = "/schedules";
  static final String PREFIX = "/schedules/";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  void create(Exchange exchange) {
    byte[] body = exchange.readJsonBody(maxBytes);
    String key = exchange.header("Idempotency-Key");
    if (key != null && !JobRules.isKey(key)) {
      throw new BadRequestException(
          "Idempotency-Key: must be 1 to "
              + JobRules.MAX_KEY_LENGTH
              + " printable ASCII characters");
    }
    if (key == null) {
      key = UUID.randomUUID().toString();
    }
    String id = ScheduleIds.fromIdempotencyKey(exchange.tenant(), key);
    NodeAnswer answer =
        forwarder.forward(
            rings.newestShardFor(id), NodeRequest.post(PATH, body, key, Credentials.of(exchange)));
    PassOn.answer(exchange, answer);
  }

  void get(Exchange exchange) {
    String id = id(exchange.path());
    PassOn.answer(exchange, find(id, NodeRequest.get(PREFIX + id, Credentials.of(exchange))));
  }

  void delete(Exchange exchange) {
    String id = id(exchange.path());
    PassOn.answer(exchange, find(id, NodeRequest.delete(PREFIX + id, Credentials.of(exchange))));
  }

  /** {@code POST /schedules/{id}:pause} and {@code :resume}: safe to send again. */
  void action(Exchange exchange) {
    String rest = exchange.path().substring(PREFIX.length());
    int colon = rest.lastIndexOf(':');
    String action = colon < 0 ? "" : rest.substring(colon + 1);
    if (!action.equals("pause") && !action.equals("resume")) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    String id = id(PREFIX + rest.substring(0, colon));
    NodeRequest request =
        NodeRequest.post(PREFIX + id + ":" + action, new byte[0], null, Credentials.of(exchange));
    PassOn.answer(exchange, find(id, request));
  }

  void list(Exchange exchange) {
    String cursor = exchange.query("cursor");
    if (cursor != null && !ScheduleIds.isValid(cursor)) {
      throw new BadRequestException("cursor: not a cursor of this listing; start without one");
    }
    int limit = limit(exchange.query("limit"));
    String path = PATH + "?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
    Credentials credentials = Credentials.of(exchange);
    Map<String, String> paths = new LinkedHashMap<>();
    for (UpstreamShard shard : upstreams.shards()) {
      paths.put(shard.id(), path);
    }
    Map<String, ParallelCalls.Outcome<NodeAnswer>> outcomes =
        ParallelCalls.run(
            paths,
            Math.max(1, paths.size()),
            (shard, p) -> forwarder.forward(shard, NodeRequest.get(p, credentials)));
    List<Schedule> all = new ArrayList<>();
    List<String> partial = new ArrayList<>();
    boolean more = false;
    for (Map.Entry<String, ParallelCalls.Outcome<NodeAnswer>> e : outcomes.entrySet()) {
      NodeAnswer answer = e.getValue().value();
      if (answer != null && answer.status() >= 400 && answer.status() < 500) {
        PassOn.answer(exchange, answer);
        return;
      }
      if (answer == null || answer.status() != 200) {
        partial.add(e.getKey());
        continue;
      }
      ScheduleList page = read(answer);
      all.addAll(page.schedules());
      more |= page.nextCursor() != null;
    }
    if (!paths.isEmpty() && partial.size() == paths.size()) {
      throw new ShardUnavailableException(
          "no shard could list its schedules (" + String.join(", ", partial) + ")", false);
    }
    all.sort(Comparator.comparing(Schedule::id));
    List<Schedule> page = all.size() > limit ? all.subList(0, limit) : all;
    boolean next = more || all.size() > limit;
    exchange.sendJson(
        200, new ScheduleList(page, next && !page.isEmpty() ? page.getLast().id() : null, partial));
  }

  /** Asks the shards that may hold {@code id}, newest ring first, as job lookups do. */
  private NodeAnswer find(String id, NodeRequest request) {
    NodeAnswer notFound = null;
    ProblemException failure = null;
    for (String shard : rings.homes(id)) {
      NodeAnswer answer;
      try {
        answer = forwarder.forward(shard, request);
      } catch (ProblemException e) {
        failure = failure == null ? e : failure;
        continue;
      }
      if (answer.status() != 404) {
        return answer;
      }
      notFound = notFound == null ? answer : notFound;
    }
    if (failure != null) {
      throw failure;
    }
    return notFound;
  }

  private static String id(String path) {
    String id = path.substring(PREFIX.length());
    if (!ScheduleIds.isValid(id)) {
      throw new RouteNotFoundException(Printable.of(path));
    }
    return id;
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException("limit: must be between 1 and " + MAX_LIMIT);
  }

  private static ScheduleList read(NodeAnswer answer) {
    try {
      return WireJson.mapper().readValue(answer.body(), ScheduleList.class);
    } catch (IOException e) {
      throw new IllegalStateException("a node answered a schedule list the proxy cannot read", e);
    }
  }
}
