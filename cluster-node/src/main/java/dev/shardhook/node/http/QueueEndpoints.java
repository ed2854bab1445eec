package dev.shardhook.node.http;

import dev.shardhook.api.JobRules;
import dev.shardhook.api.Queue;
import dev.shardhook.api.QueueSpec;
import dev.shardhook.api.RetrySpec;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.QueueProblemException;
import dev.shardhook.api.problem.RouteNotFoundException;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueueCounts;
import dev.shardhook.node.queue.QueueReplies;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.RequestJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /queues} on a node (README, "Queues"): configuration writes go through the shard's log;
 * reads answer from this node's store once it has caught up with the log, with the counts kept in
 * apply and the leader's running jobs.
 */
final class QueueEndpoints {
  static final String PREFIX = "/queues/";
  static final String TEMPLATE = "/queues/{name}";
  static final int MAX_SHARDS = 1024;
  static final int MAX_CONCURRENCY = 100_000;
  static final double MAX_RATE = 100_000;

  private final QueueBackend backend;
  private final RetrySpec nodeRetry;
  private final int maxBytes;

  QueueEndpoints(QueueBackend backend, RetrySpec nodeRetry, int maxBytes) {
    this.backend = backend;
    this.nodeRetry = nodeRetry;
    this.maxBytes = maxBytes;
  }

  void list(Exchange exchange) {
    String tenant = exchange.tenant();
    Await.result(backend.service().caughtUp());
    List<Queue> out = new ArrayList<>();
    boolean defaultListed = false;
    for (QueueConfig q : backend.store().queues(tenant, QueueConfig.MAX_PER_TENANT)) {
      defaultListed |= q.name().equals(JobRecord.DEFAULT_QUEUE);
      out.add(view(q, true));
    }
    if (!defaultListed) {
      out.addFirst(view(QueueConfig.implicitDefault(tenant), false));
    }
    exchange.sendJson(200, new Queue.QueueList(out, null));
  }

  void get(Exchange exchange) {
    String name = name(exchange, false);
    if (name.indexOf(':') >= 0) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    exchange.sendJson(200, read(exchange.tenant(), name));
  }

  void put(Exchange exchange) {
    String name = name(exchange, true);
    QueueSpec spec = RequestJson.read(exchange.readJsonBody(maxBytes), QueueSpec.class);
    QueueConfig config = config(exchange.tenant(), name, spec, shards(exchange));
    long reply = Await.result(backend.service().put(config));
    if (reply == QueueReplies.TOO_MANY) {
      throw QueueProblemException.conflict(
          "a tenant may have at most "
              + QueueConfig.MAX_PER_TENANT
              + " queues on a shard; delete one first");
    }
    exchange.sendJson(reply == QueueReplies.CREATED ? 201 : 200, read(exchange.tenant(), name));
  }

  void delete(Exchange exchange) {
    String name = name(exchange, false);
    long reply = Await.result(backend.service().delete(exchange.tenant(), name));
    if (reply == QueueReplies.IS_DEFAULT) {
      throw QueueProblemException.conflict("the 'default' queue always exists; it cannot go");
    } else if (reply == QueueReplies.NOT_FOUND) {
      throw QueueProblemException.notFound(name);
    } else if (reply == QueueReplies.HAS_PENDING) {
      throw QueueProblemException.conflict(
          "queue '"
              + name
              + "' still holds pending jobs; purge it (POST /queues/"
              + name
              + ":purge) or wait until they finish");
    }
    exchange.sendJson(200, Map.of("name", name, "deleted", true));
  }

  /** {@code POST /queues/{name}:pause}, {@code :resume}, {@code :purge}. */
  void action(Exchange exchange) {
    String rest = exchange.path().substring(PREFIX.length());
    int colon = rest.lastIndexOf(':');
    if (colon < 0) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    String name = rest.substring(0, colon);
    if (!JobRules.isQueueName(name)) {
      throw QueueProblemException.notFound(name);
    }
    String tenant = exchange.tenant();
    switch (rest.substring(colon + 1)) {
      case "pause", "resume" -> {
        boolean pause = rest.endsWith(":pause");
        long reply = Await.result(backend.service().setPaused(tenant, name, pause));
        if (reply == QueueReplies.NOT_FOUND) {
          throw QueueProblemException.notFound(name);
        }
        exchange.sendJson(200, read(tenant, name));
      }
      case "purge" -> {
        Await.result(backend.service().caughtUp());
        if (backend.policies().of(tenant, name).isEmpty()) {
          throw QueueProblemException.notFound(name);
        }
        long cancelled = Await.result(backend.service().purge(tenant, name));
        exchange.sendJson(200, Map.of("cancelled", cancelled));
      }
      default -> throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
  }

  private Queue read(String tenant, String name) {
    Await.result(backend.service().caughtUp());
    var stored = backend.store().queue(tenant, name);
    if (stored.isPresent()) {
      return view(stored.get(), true);
    }
    if (name.equals(JobRecord.DEFAULT_QUEUE)) {
      return view(QueueConfig.implicitDefault(tenant), false);
    }
    throw QueueProblemException.notFound(name);
  }

  private Queue view(QueueConfig q, boolean configured) {
    QueueCounts counts = backend.store().queueCounts(q.tenant(), q.name());
    return new Queue(
        q.name(),
        q.retry(),
        q.maxConcurrency(),
        q.ratePerSecond(),
        q.burst(),
        q.paused(),
        q.orderingOnFailure().wire(),
        q.onDestinationDisabled().wire(),
        new Queue.Limits(
            "divided",
            q.shards(),
            new Queue.PerShard(
                q.perShardRate() == null ? null : Math.round(q.perShardRate() * 100) / 100.0,
                q.perShardConcurrency(),
                q.perShardBurst())),
        counts.depth(),
        backend.running().applyAsInt(q.tenant(), q.name()),
        counts.delivered(),
        counts.failed(),
        configured,
        configured ? Instant.ofEpochMilli(q.updatedAtMs()) : null,
        null,
        null);
  }

  private static String name(Exchange exchange, boolean forWrite) {
    String name = exchange.path().substring(PREFIX.length());
    if (!JobRules.isQueueName(name)) {
      if (forWrite) {
        throw new InvalidJobException(
            "name: queue names match [A-Za-z0-9_-]{1,64}, got '" + Printable.of(name) + "'");
      }
      throw QueueProblemException.notFound(name);
    }
    return name;
  }

  private static int shards(Exchange exchange) {
    String raw = exchange.query("shards");
    if (raw == null) {
      return 1;
    }
    try {
      int shards = Integer.parseInt(raw);
      if (shards >= 1 && shards <= MAX_SHARDS) {
        return shards;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException("shards: must be a whole number from 1 to " + MAX_SHARDS);
  }

  /** Checks {@code spec} field by field (400 naming the field) into the stored form. */
  QueueConfig config(String tenant, String name, QueueSpec spec, int shards) {
    if (spec.retry() != null) {
      // A queue's defaults must make a valid policy on their own (with the node's for the rest).
      WireJobs.resolveRetry(spec.retry(), nodeRetry);
    }
    Integer max = spec.maxConcurrency();
    if (max != null && (max < 1 || max > MAX_CONCURRENCY)) {
      throw new InvalidJobException("maxConcurrency: must be between 1 and " + MAX_CONCURRENCY);
    }
    Double rate = spec.ratePerSecond();
    if (rate != null && !(rate > 0 && rate <= MAX_RATE)) {
      throw new InvalidJobException("ratePerSecond: must be above 0 and at most " + MAX_RATE);
    }
    Integer burst = spec.burst();
    if (burst != null) {
      if (rate == null) {
        throw new InvalidJobException("burst: needs ratePerSecond");
      }
      if (burst < 1 || burst > MAX_CONCURRENCY) {
        throw new InvalidJobException("burst: must be between 1 and " + MAX_CONCURRENCY);
      }
    }
    return new QueueConfig(
        tenant,
        name,
        spec.retry(),
        max,
        rate,
        burst,
        Boolean.TRUE.equals(spec.paused()),
        choice(
            "orderingOnFailure",
            spec.orderingOnFailure(),
            QueueConfig.OrderingOnFailure.class,
            QueueConfig.OrderingOnFailure.BLOCK),
        choice(
            "onDestinationDisabled",
            spec.onDestinationDisabled(),
            QueueConfig.OnDestinationDisabled.class,
            QueueConfig.OnDestinationDisabled.WAIT),
        shards,
        0);
  }

  private static <E extends Enum<E>> E choice(
      String field, String value, Class<E> type, E fallback) {
    if (value == null) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new InvalidJobException(
        field + ": must be one of " + allowed + ", got '" + Printable.of(value) + "'");
  }
}
