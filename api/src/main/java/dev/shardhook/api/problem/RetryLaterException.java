package dev.shardhook.api.problem;

import java.time.Duration;
import java.util.Map;

/** Problems that tell the client to come back later, with {@code Retry-After}. */
public abstract sealed class RetryLaterException extends ProblemException
    permits CommitUnknownException,
        InsufficientStorageException,
        QueueFullException,
        QuotaExceededException,
        ShardUnavailableException {
  private final Duration retryAfter;

  RetryLaterException(
      int status, String type, String title, String detail, Duration retryAfter, Throwable cause) {
    super(status, type, title, detail, cause);
    this.retryAfter = retryAfter;
  }

  /** How long the client should wait before trying again. */
  public final Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Retry-After", retryAfterSeconds(retryAfter));
  }

  /** Whole seconds, rounded up and at least 1: {@code Retry-After: 0} would invite a busy loop. */
  public static String retryAfterSeconds(Duration d) {
    long ms = d == null ? 0 : Math.max(0, d.toMillis());
    return Long.toString(Math.max(1, (ms + 999) / 1000));
  }
}
