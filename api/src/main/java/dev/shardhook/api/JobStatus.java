package dev.shardhook.api;

/**
 * Where a job is in its life. {@link #SUCCEEDED}, {@link #FAILED} and {@link #CANCELLED} are final.
 */
public enum JobStatus {
  /** Accepted and waiting for its next attempt (scheduled or retrying). */
  PENDING,
  /** An attempt is in flight on the shard leader. */
  RUNNING,
  /** A receiver answered 2xx. */
  SUCCEEDED,
  /** The retry policy gave up, or the receiver answered a non-retryable status. */
  FAILED,
  /** Cancelled by a client before it finished. */
  CANCELLED;

  /**
   * True for the final states: no attempt follows. A client may still move a {@link #FAILED} or
   * {@link #CANCELLED} job back to {@link #PENDING} by replaying it (README, "Replaying failed
   * jobs"); {@link #SUCCEEDED} is never left.
   */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
