package dev.shardhook.node.job;

import dev.shardhook.api.Job;

/**
 * What a cancel did.
 *
 * @param kind the verdict
 * @param job the job after the cancel (or as it was, when already final); null when not found
 */
public record CancelResult(Kind kind, Job job) {
  /** The verdict on one cancel. */
  public enum Kind {
    CANCELLED,
    ALREADY_FINISHED,
    NOT_FOUND
  }
}
