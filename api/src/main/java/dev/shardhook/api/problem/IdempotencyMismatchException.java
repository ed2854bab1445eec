package dev.shardhook.api.problem;

/** The id or idempotency key was used before with a different request. */
public final class IdempotencyMismatchException extends ProblemException {
  public IdempotencyMismatchException(String message) {
    super(
        422,
        ProblemTypes.IDEMPOTENCY_MISMATCH,
        "Idempotency key reused with a different request",
        message,
        null);
  }
}
