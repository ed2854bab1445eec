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
 * @param attemptsBeforeReplay attempts made before the job was last replayed (0 if never): the
 *     retry policy counts only the attempts since, so a replay gives a fresh budget
 * @param replayedAt when the job was last replayed, or null; starts its {@code maxRetryDuration}
 *     again
 * @param queue the named queue it belongs to (never null)
 * @param orderingKey its ordering key, or null
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
    List<AttemptRecord> attempts,
    int attemptsBeforeReplay,
    Instant replayedAt,
    String queue,
    String orderingKey) {

  /** The queue of jobs that name none. */
  public static final String DEFAULT_QUEUE = dev.shardhook.api.JobRequest.DEFAULT_QUEUE;

  /** Absent headers and attempts read as empty; attempts are copied; no queue reads as default. */
  public JobRecord {
    headers = headers == null ? Map.of() : headers;
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
    queue = queue == null ? DEFAULT_QUEUE : queue;
  }

  /** A job of the default queue without an ordering key. */
  public JobRecord(
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
      List<AttemptRecord> attempts,
      int attemptsBeforeReplay,
      Instant replayedAt) {
    this(
        id,
        shardId,
        state,
        url,
        method,
        headers,
        body,
        idempotencyKey,
        timeout,
        retry,
        createdAt,
        nextAttemptAt,
        finishedAt,
        attempts,
        attemptsBeforeReplay,
        replayedAt,
        null,
        null);
  }

  /** A job that was never replayed. */
  public JobRecord(
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
    this(
        id,
        shardId,
        state,
        url,
        method,
        headers,
        body,
        idempotencyKey,
        timeout,
        retry,
        createdAt,
        nextAttemptAt,
        finishedAt,
        attempts,
        0,
        null);
  }

  /** Whether a replay may move this job back to {@link JobState#PENDING}. */
  public boolean replayable() {
    return state == JobState.FAILED || state == JobState.CANCELLED;
  }

  /**
   * This job back to {@link JobState#PENDING}, due at {@code at}, its attempts kept and its retry
   * budget fresh from {@code at}.
   */
  public JobRecord replayed(Instant at) {
    return new JobRecord(
        id,
        shardId,
        JobState.PENDING,
        url,
        method,
        headers,
        body,
        idempotencyKey,
        timeout,
        retry,
        createdAt,
        at,
        null,
        attempts,
        attempts.size(),
        at,
        queue,
        orderingKey);
  }

  /** When this job's retry budget started: its last replay, else its creation. */
  public Instant budgetStartedAt() {
    return replayedAt != null ? replayedAt : createdAt;
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
        newAttempts,
        attemptsBeforeReplay,
        replayedAt,
        queue,
        orderingKey);
  }
}
