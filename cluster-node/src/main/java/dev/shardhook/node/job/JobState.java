package dev.shardhook.node.job;

/**
 * Where a job is in its life, as the log and the store keep it. {@link #SUCCEEDED}, {@link #FAILED}
 * and {@link #CANCELLED} are final (a replay may take the last two back to pending). A job whose
 * attempt is in flight stays {@link #PENDING}: the leader alone knows it is running, and a new
 * leader attempts it again.
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

  /**
   * True for the final states: no attempt follows. A replay may move a {@link #FAILED} or {@link
   * #CANCELLED} job back to {@link #PENDING}; {@link #SUCCEEDED} is never left.
   */
  public boolean isTerminal() {
    return this != PENDING;
  }
}
