package dev.shardhook.node.job;

/**
 * What became of one submitted job once its entry was applied.
 *
 * @param kind the verdict
 * @param job the stored job (the original one on replay or mismatch); null when rejected
 */
public record SubmitResult(Kind kind, JobRecord job) {
  /** The verdict on one submission. */
  public enum Kind {
    /** A new job: 201. */
    CREATED,
    /** The same id or key with the same request: 200 and the original job. */
    REPLAYED,
    /** The same id or key with another request: 422. */
    MISMATCH,
    /** The shard is full: 429. */
    QUEUE_FULL,
    /**
     * The job passed the checks at the edge but could not be applied (a value outside what the
     * store holds): refused on every replica alike, nothing stored; 400.
     */
    UNAPPLICABLE
  }
}
