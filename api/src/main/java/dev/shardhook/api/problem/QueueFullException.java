package dev.shardhook.api.problem;

import java.time.Duration;

/** The shard holds as many pending jobs as it may. */
public final class QueueFullException extends RetryLaterException {
  public QueueFullException(long maxPending, Duration retryAfter) {
    super(
        429,
        ProblemTypes.QUEUE_FULL,
        "Queue full",
        "the shard already holds " + maxPending + " pending jobs",
        retryAfter,
        null);
  }
}
