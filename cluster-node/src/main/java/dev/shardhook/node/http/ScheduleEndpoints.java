package dev.shardhook.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.JobRules;
import dev.shardhook.api.Schedule;
import dev.shardhook.api.ScheduleList;
import dev.shardhook.api.ScheduleRequest;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.IdempotencyMismatchException;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.RouteNotFoundException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.api.routing.ScheduleIds;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.ScheduleRecord;
import dev.shardhook.node.job.ScheduleResult;
import dev.shardhook.node.job.ScheduleService;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.node.schedule.CronSpec;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.RequestJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The schedule routes of the node (README, "Schedules"): {@code POST /schedules}, {@code GET
 * /schedules}, and {@code GET}, {@code DELETE}, {@code POST …:pause} and {@code POST …:resume} on
 * {@code /schedules/{id}}. A schedule's id is derived from the tenant and the {@code
 * Idempotency-Key} (drawn on this shard when absent), so a retried create finds the same schedule.
 */
final class ScheduleEndpoints {
  static final String PATH = "/schedules";
  static final String PREFIX = "/schedules/";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final ScheduleService schedules;
  private final JobRequestValidator validator;
  private final ShardOwnership ownership;
  private final Clock clock;
  private final int maxRequestBytes;

  ScheduleEndpoints(
      ScheduleService schedules,
      JobRequestValidator validator,
      ShardOwnership ownership,
      Clock clock,
      int maxRequestBytes) {
    this.schedules = schedules;
    this.validator = validator;
    this.ownership = ownership;
    this.clock = clock;
    this.maxRequestBytes = maxRequestBytes;
  }

  void create(Exchange exchange) {
    byte[] body = exchange.readJsonBody(maxRequestBytes);
    ScheduleRequest req = RequestJson.read(body, ScheduleRequest.class);
    if (req == null) {
      throw new BadRequestException("request body: expected a JSON object");
    }
    String tenant = exchange.tenant();
    String key = exchange.header("Idempotency-Key");
    if (key != null && !JobRules.isKey(key)) {
      throw new BadRequestException(
          "Idempotency-Key: must be 1 to "
              + JobRules.MAX_KEY_LENGTH
              + " printable ASCII characters");
    }
    CronSpec spec;
    try {
      spec = CronSpec.parse(req.cron(), req.timeZone());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    String catchUp = req.catchUp() == null ? ScheduleRequest.FIRE_ONCE : req.catchUp();
    if (!catchUp.equals(ScheduleRequest.FIRE_ONCE) && !catchUp.equals(ScheduleRequest.SKIP)) {
      throw new BadRequestException("catchUp: must be fireOnce or skip");
    }
    Instant now = clock.instant();
    Long endAtMs = null;
    if (req.endAt() != null) {
      if (!req.endAt().isAfter(now)) {
        throw new BadRequestException("endAt: must be in the future");
      }
      endAtMs = millis(req.endAt(), "endAt");
    }
    String id = key != null ? ScheduleIds.fromIdempotencyKey(tenant, key) : freshId();
    ownership.check(id);
    String template = template(req.job(), id, tenant);
    Instant first = spec.nextAfter(now).orElse(null);
    if (first == null || (endAtMs != null && first.toEpochMilli() > endAtMs)) {
      throw new BadRequestException("cron: the expression has no firing before endAt");
    }
    ScheduleRecord draft =
        new ScheduleRecord(
            TenantIds.scoped(tenant, id),
            req.cron().trim(),
            spec.syntax(),
            spec.zone(),
            template,
            fingerprint(body),
            endAtMs,
            catchUp,
            false,
            0,
            null,
            first.toEpochMilli(),
            0,
            0);
    ScheduleResult result = Await.result(schedules.create(draft));
    switch (result.kind()) {
      case MISMATCH ->
          throw new IdempotencyMismatchException(
              "idempotency key '"
                  + Printable.of(key)
                  + "' was already used for schedule '"
                  + id
                  + "' with a different request");
      case EXISTING -> {
        exchange.header("Idempotent-Replayed", "true");
        exchange.header("Location", PREFIX + id);
        exchange.sendJson(200, wire(result.schedule()));
      }
      default -> {
        exchange.header("Location", PREFIX + id);
        exchange.sendJson(201, wire(result.schedule()));
      }
    }
  }

  void list(Exchange exchange) {
    String tenant = exchange.tenant();
    String cursor = exchange.query("cursor");
    if (cursor != null && !ScheduleIds.isValid(cursor)) {
      throw new BadRequestException("cursor: not a cursor of this listing; start without one");
    }
    int limit = limit(exchange.query("limit"));
    List<ScheduleRecord> page =
        Await.result(
            schedules.list(
                tenant, cursor == null ? null : TenantIds.scoped(tenant, cursor), limit));
    String next = page.size() < limit ? null : TenantIds.publicId(page.getLast().id());
    exchange.sendJson(
        200,
        new ScheduleList(page.stream().map(ScheduleEndpoints::wire).toList(), next, List.of()));
  }

  /** {@code GET}, {@code DELETE} and {@code POST …:pause|:resume} on one schedule. */
  void get(Exchange exchange) {
    String id = id(exchange.path());
    ScheduleRecord s =
        Await.result(schedules.get(TenantIds.scoped(exchange.tenant(), id)))
            .orElseThrow(() -> new RouteNotFoundException(exchange.path()));
    exchange.sendJson(200, wire(s));
  }

  void delete(Exchange exchange) {
    String id = id(exchange.path());
    ScheduleResult result = Await.result(schedules.delete(TenantIds.scoped(exchange.tenant(), id)));
    if (result.kind() == ScheduleResult.Kind.NOT_FOUND) {
      throw new RouteNotFoundException(exchange.path());
    }
    exchange.sendJson(200, wire(result.schedule()));
  }

  void action(Exchange exchange) {
    String rest = exchange.path().substring(PREFIX.length());
    int colon = rest.lastIndexOf(':');
    if (colon < 0) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    String action = rest.substring(colon + 1);
    boolean pause;
    if (action.equals("pause")) {
      pause = true;
    } else if (action.equals("resume")) {
      pause = false;
    } else {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    String id = id(PREFIX + rest.substring(0, colon));
    String scoped = TenantIds.scoped(exchange.tenant(), id);
    Long next = null;
    if (!pause) {
      ScheduleRecord s =
          Await.result(schedules.get(scoped))
              .orElseThrow(() -> new RouteNotFoundException(exchange.path()));
      next = nextAfterNow(s);
    }
    ScheduleResult result = Await.result(schedules.setPaused(scoped, pause, next));
    if (result.kind() == ScheduleResult.Kind.NOT_FOUND) {
      throw new RouteNotFoundException(exchange.path());
    }
    exchange.sendJson(200, wire(result.schedule()));
  }

  private Long nextAfterNow(ScheduleRecord s) {
    Instant next = CronSpec.parse(s.cron(), s.timeZone()).nextAfter(clock.instant()).orElse(null);
    if (next == null || (s.endAtMs() != null && next.toEpochMilli() > s.endAtMs())) {
      return null;
    }
    return next.toEpochMilli();
  }

  private static String id(String path) {
    String id = path.substring(PREFIX.length());
    if (!ScheduleIds.isValid(id)) {
      throw new RouteNotFoundException(Printable.of(path));
    }
    return id;
  }

  private String freshId() {
    for (int i = 0; i < 10_000; i++) {
      String id = ScheduleIds.fresh();
      if (ownership.newestOwner(id).equals(ownership.shardId())) {
        return id;
      }
    }
    throw new ShardUnavailableException(
        "no fresh schedule id landed on shard '" + ownership.shardId() + "'", null);
  }

  /**
   * The job template checked as a job would be, with the shard's defaults filled in, so every
   * firing creates the same job whatever the defaults are by then.
   */
  private String template(JobRequest job, String id, String tenant) {
    if (job == null) {
      throw new InvalidJobException("job: required");
    }
    if (job.id() != null
        || job.idempotencyKey() != null
        || job.runAt() != null
        || job.delayMs() != null) {
      throw new InvalidJobException(
          "job: a schedule's job takes no id, idempotencyKey, runAt or delayMs");
    }
    if (job.orderingKey() != null) {
      // An ordered job lives on its key's shard; a fired job lives on its schedule's.
      throw new InvalidJobException(
          "job.orderingKey: not supported for scheduled jobs (they live on their schedule's"
              + " shard)");
    }
    NewJob checked;
    try {
      checked =
          validator.toNewJob(
              new JobRequest(
                  job.url(),
                  job.method(),
                  job.headers(),
                  job.body(),
                  id,
                  null,
                  null,
                  null,
                  job.timeoutMs(),
                  job.retry(),
                  job.queue(),
                  job.orderingKey()),
              null,
              tenant);
    } catch (InvalidJobException e) {
      throw new InvalidJobException("job." + e.getMessage());
    }
    JobRequest resolved =
        new JobRequest(
            checked.url(),
            checked.method(),
            checked.headers(),
            checked.body(),
            null,
            null,
            null,
            null,
            checked.timeoutMs(),
            WireJobs.retry(checked.retry()),
            checked.queue(),
            checked.orderingKey());
    try {
      return WireJson.mapper().writeValueAsString(resolved);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a schedule's job template", e);
    }
  }

  /** The public schedule: the id as the tenant knows it, times as instants. */
  static Schedule wire(ScheduleRecord s) {
    JobRequest job;
    try {
      job = WireJson.mapper().readValue(s.template(), JobRequest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable schedule template of " + s.id(), e);
    }
    return new Schedule(
        TenantIds.publicId(s.id()),
        s.cron(),
        s.syntax(),
        s.timeZone(),
        new JobRequest(
            job.url(),
            job.method(),
            job.headers() == null ? null : JobRules.redacted(job.headers()),
            job.body(),
            null,
            null,
            null,
            null,
            job.timeoutMs(),
            job.retry(),
            job.queue(),
            job.orderingKey()),
        instant(s.endAtMs()),
        s.catchUp(),
        s.done() ? Schedule.DONE : s.paused() ? Schedule.PAUSED : Schedule.ACTIVE,
        Instant.ofEpochMilli(s.createdAtMs()),
        instant(s.lastFireAtMs()),
        instant(s.nextFireAtMs()),
        s.fired(),
        s.missed());
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

  private static long millis(Instant t, String field) {
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new BadRequestException(field + ": out of range");
    }
  }

  private static Instant instant(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }

  private static String fingerprint(byte[] body) {
    try {
      byte[] canonical =
          WireJson.mapper()
              .writeValueAsString(WireJson.mapper().readTree(body))
              .getBytes(StandardCharsets.UTF_8);
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 16);
    } catch (NoSuchAlgorithmException | java.io.IOException e) {
      throw new IllegalStateException("cannot fingerprint a schedule request", e);
    }
  }
}
