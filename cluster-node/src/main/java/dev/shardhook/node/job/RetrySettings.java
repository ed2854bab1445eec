package dev.shardhook.node.job;

import java.time.Duration;
import java.util.Objects;

/**
 * A job's resolved retry policy: every field set, defaults already applied at the edge. Durations
 * hold whole milliseconds (the log and the store keep milliseconds).
 *
 * @param maxAttempts attempts in all, the first one included (1 = never retry)
 * @param initialBackoff backoff before the second attempt
 * @param maxBackoff cap of a single backoff
 * @param multiplier growth of the backoff per attempt
 * @param maxRetryDuration give up once this long has passed since the job was created ({@link
 *     Duration#ZERO} = no limit)
 */
public record RetrySettings(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    Duration maxRetryDuration) {

  /**
   * The shard's defaults: 10 attempts, backoff from 1 s doubling up to 1 h, no overall limit. The
   * same values as {@code NodeConfig.DEFAULT_RETRY}; a field missing from a stored policy reads as
   * these.
   */
  public static final RetrySettings DEFAULTS = ofMillis(10, 1_000, 3_600_000, 2.0, 0);

  public RetrySettings {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxRetryDuration, "maxRetryDuration");
  }

  /** A policy from the millisecond fields the log and the wire carry. */
  public static RetrySettings ofMillis(
      int maxAttempts,
      long initialBackoffMs,
      long maxBackoffMs,
      double multiplier,
      long maxRetryDurationMs) {
    return new RetrySettings(
        maxAttempts,
        Duration.ofMillis(initialBackoffMs),
        Duration.ofMillis(maxBackoffMs),
        multiplier,
        Duration.ofMillis(maxRetryDurationMs));
  }
}
