package dev.shardhook.node.job;

/**
 * What a cancel did.
 *
 * @param kind the verdict
 * @param job the job after the cancel (or as it was, when already final); null when not found
 */
public record CancelResult(Kind kind, JobRecord job) {
  /** The verdict on one cancel. */
  public enum Kind {
    CANCELLED,
    ALREADY_FINISHED,
    NOT_FOUND
  }
}
