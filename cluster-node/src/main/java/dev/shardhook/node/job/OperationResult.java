package dev.shardhook.node.job;

/**
 * What starting a bulk operation did.
 *
 * @param kind the verdict
 * @param operation the operation (new, or the one the idempotency key already named)
 */
public record OperationResult(Kind kind, OperationRecord operation) {
  /** The verdict on one start. */
  public enum Kind {
    STARTED,
    /** The key already named an operation with the same filter: that one. */
    EXISTING,
    /** The key already named an operation with another filter. */
    MISMATCH
  }
}
