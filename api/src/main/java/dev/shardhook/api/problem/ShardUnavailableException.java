package dev.shardhook.api.problem;

import java.time.Duration;

/**
 * The shard cannot take the request right now: on a node, no leader or the leader is not ready; on
 * a proxy, every node of the shard down, refusing connections or behind an open circuit breaker
 * (or, for {@code /ready}, no shard reachable at all).
 */
public final class ShardUnavailableException extends RetryLaterException {
  public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final boolean untouched;

  /** A node's refusal, caused by {@code cause} (may be null). */
  public ShardUnavailableException(String message, Throwable cause) {
    this(message, false, cause);
  }

  /**
   * A proxy's refusal.
   *
   * @param untouched true when no node can have seen the request (none was tried, or every
   *     connection was refused), so sending it elsewhere under another id cannot duplicate it
   */
  public ShardUnavailableException(String message, boolean untouched) {
    this(message, untouched, null);
  }

  private ShardUnavailableException(String message, boolean untouched, Throwable cause) {
    super(503, ProblemTypes.SHARD_UNAVAILABLE, "Shard unavailable", message, RETRY_AFTER, cause);
    this.untouched = untouched;
  }

  /** Whether the request certainly reached no node of the shard. */
  public boolean untouched() {
    return untouched;
  }
}
