package dev.shardhook.node.http;

import dev.shardhook.api.JobRules;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.Operation;
import dev.shardhook.api.ReplayFilter;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.api.problem.IdempotencyMismatchException;
import dev.shardhook.api.problem.Printable;
import dev.shardhook.api.problem.RouteNotFoundException;
import dev.shardhook.api.routing.OperationIds;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.OperationResult;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.support.http.Exchange;
import dev.shardhook.support.http.RequestJson;
import java.time.Instant;

/**
 * {@code POST /jobs:replay} and {@code GET /operations/{id}} (README, "Replaying failed jobs"): a
 * bulk replay of the caller's jobs on this shard, started by one log entry and worked by the
 * leader's {@code OperationWorker}. The operation's id is derived from the tenant and the request's
 * {@code Idempotency-Key} (a fresh one when absent), so a retried request finds the same operation.
 */
record BulkReplay(JobService jobs, int maxRequestBytes) {
  static final String OPERATIONS = "/operations/";

  void start(Exchange exchange) {
    byte[] body = exchange.readJsonBody(maxRequestBytes);
    ReplayFilter filter =
        (body.length == 0
                ? new ReplayFilter(null, null, null, null, null)
                : RequestJson.read(body, ReplayFilter.class))
            .resolved();
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
    String tenant = exchange.tenant();
    String id = OperationIds.fromIdempotencyKey(tenant, key);
    OperationRecord draft =
        new OperationRecord(
            TenantIds.scoped(tenant, id),
            JobState.valueOf(filter.status().name()),
            filter.host(),
            millis(filter.createdAfter()),
            millis(filter.createdBefore()),
            filter.idempotencyKey(),
            0,
            null,
            0,
            0,
            null);
    OperationResult result = Await.result(jobs.startOperation(draft));
    if (result.kind() == OperationResult.Kind.MISMATCH) {
      throw new IdempotencyMismatchException(
          "idempotency key '"
              + Printable.of(key)
              + "' was already used for operation '"
              + id
              + "' with a different filter");
    }
    exchange.header("Location", OPERATIONS + id);
    exchange.sendJson(202, wire(result.operation()));
  }

  void get(Exchange exchange) {
    String id = exchange.path().substring(OPERATIONS.length());
    if (!OperationIds.isValid(id)) {
      throw new RouteNotFoundException(Printable.of(exchange.path()));
    }
    OperationRecord op =
        Await.result(jobs.operation(TenantIds.scoped(exchange.tenant(), id)))
            .orElseThrow(() -> new RouteNotFoundException(exchange.path()));
    exchange.sendJson(200, wire(op));
  }

  /** The public operation: ids and keys as the tenant knows them, times as instants. */
  static Operation wire(OperationRecord op) {
    return new Operation(
        TenantIds.publicId(op.id()),
        Operation.REPLAY,
        op.running() ? Operation.Status.RUNNING : Operation.Status.SUCCEEDED,
        new ReplayFilter(
            JobStatus.valueOf(op.status().name()),
            op.host(),
            instant(op.createdAfter()),
            instant(op.createdBefore()),
            op.idempotencyKey()),
        Instant.ofEpochMilli(op.createdAtMs()),
        instant(op.finishedAtMs()),
        op.replayed(),
        op.skipped(),
        null,
        null);
  }

  private static Long millis(Instant t) {
    if (t == null) {
      return null;
    }
    try {
      return t.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new BadRequestException("createdAfter/createdBefore: out of range: " + t);
    }
  }

  private static Instant instant(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms);
  }
}
