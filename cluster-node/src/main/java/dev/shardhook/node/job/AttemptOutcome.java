package dev.shardhook.node.job;

import java.time.Instant;

/**
 * The result of one delivery attempt, as the leader proposes it in an {@code Outcome} entry.
 *
 * @param jobId the job
 * @param attemptNumber 1 for the first attempt; apply ignores an outcome whose number is not the
 *     next one (a duplicate from an old leader)
 * @param startedAt when the request was sent
 * @param durationMs until the answer or the error
 * @param statusCode receiver's HTTP status, or null on a network error or timeout
 * @param error what went wrong, or null on 2xx
 * @param retryAfterMs the receiver's Retry-After, already converted to a delay, or null
 * @param permanent true when retrying cannot help (refused target address, malformed URL): the job
 *     fails at once whatever its policy
 * @param response what was kept of the receiver's answer, or null (no answer, or capture off)
 */
public record AttemptOutcome(
    String jobId,
    int attemptNumber,
    Instant startedAt,
    long durationMs,
    Integer statusCode,
    String error,
    Long retryAfterMs,
    boolean permanent,
    CapturedResponse response) {
  /** An outcome that kept nothing of the answer. */
  public AttemptOutcome(
      String jobId,
      int attemptNumber,
      Instant startedAt,
      long durationMs,
      Integer statusCode,
      String error,
      Long retryAfterMs,
      boolean permanent) {
    this(
        jobId,
        attemptNumber,
        startedAt,
        durationMs,
        statusCode,
        error,
        retryAfterMs,
        permanent,
        null);
  }
}
