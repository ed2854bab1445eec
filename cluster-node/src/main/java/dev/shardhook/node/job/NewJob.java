package dev.shardhook.node.job;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A validated submission as it travels in a {@code Submit} log entry. Everything here is already
 * resolved by the node that took the request (id, defaults, fingerprint); only times relative to
 * acceptance are left for the leader, which stamps {@code acceptedAt} into the entry.
 *
 * @param id final job id
 * @param idempotencyKey the client's key, or null
 * @param fingerprint stable hash of the request, to tell a replay from a conflicting reuse
 * @param url receiver
 * @param method HTTP method
 * @param headers headers for every attempt
 * @param body request body, or null
 * @param runAt absolute first-attempt time, or null
 * @param delayMs first-attempt delay after acceptance, or null
 * @param timeoutMs per-attempt timeout
 * @param retry fully resolved retry policy
 * @param queue the named queue (never null)
 * @param orderingKey the ordering key, or null
 */
public record NewJob(
    String id,
    String idempotencyKey,
    String fingerprint,
    String url,
    String method,
    Map<String, String> headers,
    String body,
    Instant runAt,
    Long delayMs,
    long timeoutMs,
    RetrySettings retry,
    String queue,
    String orderingKey) {
  public NewJob {
    Objects.requireNonNull(retry, "retry");
    queue = queue == null ? JobRecord.DEFAULT_QUEUE : queue;
  }

  /** A job of the default queue without an ordering key. */
  public NewJob(
      String id,
      String idempotencyKey,
      String fingerprint,
      String url,
      String method,
      Map<String, String> headers,
      String body,
      Instant runAt,
      Long delayMs,
      long timeoutMs,
      RetrySettings retry) {
    this(
        id,
        idempotencyKey,
        fingerprint,
        url,
        method,
        headers,
        body,
        runAt,
        delayMs,
        timeoutMs,
        retry,
        null,
        null);
  }
}
