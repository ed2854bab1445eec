package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the shard stores it: the request to make, its resolved policy and every attempt so far.
 *
 * @param id the job's id (also the {@code webhook-id} of each delivery)
 * @param shardId the shard that owns it
 * @param status where the job is in its life
 * @param url receiver URL
 * @param method HTTP method
 * @param headers headers sent with every attempt
 * @param body request body
 * @param idempotencyKey the client's key, if it gave one
 * @param timeoutMs per-attempt timeout
 * @param retry resolved retry policy
 * @param createdAt when the shard accepted it
 * @param nextAttemptAt when the next attempt is due; absent once the job is final
 * @param finishedAt when the job reached a final status
 * @param attempts every attempt, oldest first
 * @param queue the named queue it belongs to
 * @param orderingKey its ordering key, if it has one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
    String id,
    String shardId,
    JobStatus status,
    String url,
    String method,
    Map<String, String> headers,
    String body,
    String idempotencyKey,
    long timeoutMs,
    RetrySpec retry,
    Instant createdAt,
    Instant nextAttemptAt,
    Instant finishedAt,
    List<Attempt> attempts,
    String queue,
    String orderingKey) {

  /** Absent headers and attempts read as empty; attempts are copied; no queue reads as default. */
  public Job {
    headers = headers == null ? Map.of() : headers;
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
    queue = queue == null ? JobRequest.DEFAULT_QUEUE : queue;
  }

  /** A job of the default queue without an ordering key. */
  public Job(
      String id,
      String shardId,
      JobStatus status,
      String url,
      String method,
      Map<String, String> headers,
      String body,
      String idempotencyKey,
      long timeoutMs,
      RetrySpec retry,
      Instant createdAt,
      Instant nextAttemptAt,
      Instant finishedAt,
      List<Attempt> attempts) {
    this(
        id,
        shardId,
        status,
        url,
        method,
        headers,
        body,
        idempotencyKey,
        timeoutMs,
        retry,
        createdAt,
        nextAttemptAt,
        finishedAt,
        attempts,
        null,
        null);
  }
}
