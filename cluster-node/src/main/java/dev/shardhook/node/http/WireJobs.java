package dev.shardhook.node.http;

import dev.shardhook.api.Attempt;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.RetrySpec;
import dev.shardhook.node.job.AttemptRecord;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.RetrySettings;

/**
 * The public job record built from the node's own: the one place where the node's job model meets
 * the HTTP contract's. Times and policies go out in milliseconds.
 */
final class WireJobs {
  private WireJobs() {}

  static Job job(JobRecord r) {
    return new Job(
        r.id(),
        r.shardId(),
        status(r.state()),
        r.url(),
        r.method(),
        r.headers(),
        r.body(),
        r.idempotencyKey(),
        r.timeout().toMillis(),
        retry(r.retry()),
        r.createdAt(),
        r.nextAttemptAt(),
        r.finishedAt(),
        r.attempts().stream().map(WireJobs::attempt).toList());
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

  private static Attempt attempt(AttemptRecord a) {
    return new Attempt(
        a.number(), a.startedAt(), a.duration().toMillis(), a.statusCode(), a.error());
  }
}
