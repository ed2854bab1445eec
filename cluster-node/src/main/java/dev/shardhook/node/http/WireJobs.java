package dev.shardhook.node.http;

import dev.shardhook.api.Attempt;
import dev.shardhook.api.AttemptResponse;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobRules;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.RetrySpec;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.node.job.AttemptRecord;
import dev.shardhook.node.job.CapturedResponse;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.RetrySettings;
import dev.shardhook.node.job.TenantIds;
import java.time.Duration;

/**
 * Where the node's job model meets the HTTP contract's: the public job built from the node's
 * record, and a request's retry policy resolved into the node's. Times and policies are
 * milliseconds on the wire.
 */
final class WireJobs {
  static final int MAX_ATTEMPTS = 100;
  static final long MAX_INITIAL_BACKOFF_MS = Duration.ofHours(24).toMillis();
  static final long MAX_BACKOFF_MS = Duration.ofDays(7).toMillis();
  static final double MAX_MULTIPLIER = 10.0;

  private WireJobs() {}

  /**
   * The job as its tenant sees it: its own id and key, without the tenant scope, and sensitive
   * header values redacted ({@link JobRules#isSensitiveHeader}).
   */
  static Job job(JobRecord r) {
    return new Job(
        TenantIds.publicId(r.id()),
        r.shardId(),
        status(r.state()),
        r.url(),
        r.method(),
        JobRules.redacted(r.headers()),
        r.body(),
        TenantIds.publicKey(r.id(), r.idempotencyKey()),
        r.timeout().toMillis(),
        retry(r.retry()),
        r.createdAt(),
        r.nextAttemptAt(),
        r.finishedAt(),
        r.attempts().stream().map(WireJobs::attempt).toList(),
        r.queue(),
        r.orderingKey());
  }

  static JobStatus status(JobState state) {
    return state == null ? null : JobStatus.valueOf(state.name());
  }

  static RetrySpec retry(RetrySettings r) {
    return new RetrySpec(
        r.maxAttempts(),
        r.initialBackoff().toMillis(),
        r.maxBackoff().toMillis(),
        r.multiplier(),
        r.maxRetryDuration().toMillis());
  }

  /**
   * A request's retry policy for the node: fields {@code requested} leaves null come from {@code
   * defaults} (the node's configured defaults), and the result is checked against the shard's
   * bounds.
   *
   * @param requested the job's policy; null or partly null takes the defaults
   * @throws InvalidJobException naming the first bad field
   */
  static RetrySettings resolveRetry(RetrySpec requested, RetrySpec defaults) {
    RetrySpec r = requested == null ? new RetrySpec(null, null, null, null, null) : requested;
    RetrySpec d = defaults == null ? new RetrySpec(null, null, null, null, null) : defaults;
    Integer maxAttempts = pick(r.maxAttempts(), d.maxAttempts(), "maxAttempts");
    Long initial = pick(r.initialBackoffMs(), d.initialBackoffMs(), "initialBackoffMs");
    Long max = pick(r.maxBackoffMs(), d.maxBackoffMs(), "maxBackoffMs");
    Double multiplier = pick(r.multiplier(), d.multiplier(), "multiplier");
    Long maxDuration = pick(r.maxRetryDurationMs(), d.maxRetryDurationMs(), "maxRetryDurationMs");

    require(
        maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS,
        "maxAttempts",
        "must be between 1 and " + MAX_ATTEMPTS);
    require(
        initial >= 1 && initial <= MAX_INITIAL_BACKOFF_MS,
        "initialBackoffMs",
        "must be between 1 and " + MAX_INITIAL_BACKOFF_MS + " (24 h)");
    require(
        max >= initial && max <= MAX_BACKOFF_MS,
        "maxBackoffMs",
        "must be between initialBackoffMs (" + initial + ") and " + MAX_BACKOFF_MS + " (7 days)");
    // The negated form also rejects NaN.
    require(
        !(multiplier < 1.0 || multiplier > MAX_MULTIPLIER || multiplier.isNaN()),
        "multiplier",
        "must be between 1.0 and " + MAX_MULTIPLIER);
    require(maxDuration >= 0, "maxRetryDurationMs", "must be >= 0 (0 = no limit)");
    return RetrySettings.ofMillis(maxAttempts, initial, max, multiplier, maxDuration);
  }

  private static Attempt attempt(AttemptRecord a) {
    CapturedResponse r = a.response();
    return new Attempt(
        a.number(),
        a.startedAt(),
        a.duration().toMillis(),
        a.statusCode(),
        a.error(),
        r == null ? null : new AttemptResponse(r.headers(), r.body(), r.bodyTruncated()));
  }

  private static <T> T pick(T requested, T fallback, String field) {
    T v = requested != null ? requested : fallback;
    if (v == null) {
      throw new InvalidJobException("retry." + field + ": required");
    }
    return v;
  }

  private static void require(boolean ok, String field, String rule) {
    if (!ok) {
      throw new InvalidJobException("retry." + field + ": " + rule);
    }
  }
}
