package dev.shardhook.node.job;

/**
 * What a replay did to one job.
 *
 * @param kind the verdict
 * @param job the job after the replay (or as it is, when not replayable); null when not found or
 *     refused by admission
 */
public record ReplayResult(Kind kind, JobRecord job) {
  /** The verdict on one job of a replay. */
  public enum Kind {
    /** Back to pending, due at once. */
    REPLAYED,
    /** Neither failed nor cancelled: left as it is. */
    NOT_REPLAYABLE,
    NOT_FOUND,
    /** The shard's queue limit: left as it is. */
    QUEUE_FULL
  }
}
