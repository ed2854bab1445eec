package dev.shardhook.api.problem;

import java.time.Duration;

/**
 * The node's data disk is nearly full: new jobs are refused while deliveries and purges go on, so
 * space comes back as finished jobs leave the store.
 */
public final class InsufficientStorageException extends RetryLaterException {
  /** How long a client waits: purging frees space at most a minute apart. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  // Public (String): Ratis rebuilds a refusal from a forwarding node by this constructor.
  public InsufficientStorageException(String message) {
    super(
        507, ProblemTypes.INSUFFICIENT_STORAGE, "Insufficient storage", message, RETRY_AFTER, null);
  }
}
