package dev.shardhook.node.job;

/**
 * Where a job is in its life, as the log and the store keep it. {@link #SUCCEEDED}, {@link #FAILED}
 * and {@link #CANCELLED} are final. A job whose attempt is in flight stays {@link #PENDING}: the
 * leader alone knows it is running, and a new leader attempts it again.
 */
public enum JobState {
  /** Accepted and waiting for its next attempt (scheduled or retrying). */
  PENDING,
  /** A receiver answered 2xx. */
  SUCCEEDED,
  /** The retry policy gave up, or the receiver answered a non-retryable status. */
  FAILED,
  /** Cancelled by a client before it finished. */
  CANCELLED;

  /** True for the states a job never leaves. */
  public boolean isTerminal() {
    return this != PENDING;
  }
}
