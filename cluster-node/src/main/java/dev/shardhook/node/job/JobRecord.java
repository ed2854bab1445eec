package dev.shardhook.node.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job as the log, the store and the dispatcher know it: the request to make, its resolved policy
 * and every attempt so far. The HTTP edge builds the public job record from it.
 *
 * @param id the job's id (also the {@code webhook-id} of each delivery)
 * @param shardId the shard that owns it
 * @param state where the job is in its life
 * @param url receiver URL
 * @param method HTTP method
 * @param headers headers sent with every attempt
 * @param body request body, or null
 * @param idempotencyKey the client's key, or null
 * @param timeout per-attempt timeout (zero or less: the dispatcher's default)
 * @param retry resolved retry policy
 * @param createdAt when the shard accepted it
 * @param nextAttemptAt when the next attempt is due; null once the job is final
 * @param finishedAt when the job reached a final state, else null
 * @param attempts every attempt, oldest first
 */
public record JobRecord(
    String id,
    String shardId,
    JobState state,
    String url,
    String method,
    Map<String, String> headers,
    String body,
    String idempotencyKey,
    Duration timeout,
    RetrySettings retry,
    Instant createdAt,
    Instant nextAttemptAt,
    Instant finishedAt,
    List<AttemptRecord> attempts) {

  /** Absent headers and attempts read as empty; attempts are copied. */
  public JobRecord {
    headers = headers == null ? Map.of() : headers;
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
  }

  /** The number the next attempt gets. */
  public int nextAttemptNumber() {
    return attempts.size() + 1;
  }

  /** This job in another state, with its schedule and attempts replaced. */
  public JobRecord moved(
      JobState newState,
      Instant newNextAttemptAt,
      Instant newFinishedAt,
      List<AttemptRecord> newAttempts) {
    return new JobRecord(
        id,
        shardId,
        newState,
        url,
        method,
        headers,
        body,
        idempotencyKey,
        timeout,
        retry,
        createdAt,
        newNextAttemptAt,
        newFinishedAt,
        newAttempts);
  }
}
