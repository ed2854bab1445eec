package dev.shardhook.node.delivery;

/**
 * How many attempts one destination may have running at once, adapted by AIMD between 1 and a
 * maximum (README, "Destinations"). Overload signals ({@code 429}, {@code 503}, timeouts and
 * connection failures) multiply the limit by {@link #DECREASE}; a fast success adds {@code
 * 1/limit}, so about one per round trip's worth of successes. Until the first overload signal the
 * limit grows by one per fast success (slow start: it doubles each round trip), so a healthy
 * destination reaches its maximum in a few round trips; that first signal halves it.
 *
 * <p>One burst of {@code 429}s must not collapse the limit: only attempts started after the last
 * decrease may decrease it again (those started before it ran under the old, larger limit). That is
 * the "at most once per round trip" rule, without guessing the round trip.
 *
 * <p>A success counts as fast when its latency is at most {@link #SLOW_FACTOR} times the lowest
 * latency seen over the last two blocks of {@link #MIN_WINDOW} successes (plus {@link
 * #SLOW_SLACK_MS}, so that a 1 ms receiver is not judged by jitter); a slower success holds the
 * limit where it is: a receiver whose latency climbs is no longer pushed harder.
 *
 * <p>Thread-safe: attempts finish on their own threads.
 */
final class AdaptiveLimit {
  static final double DECREASE = 0.9;
  static final int INITIAL = 10;
  static final int SLOW_FACTOR = 2;
  static final long SLOW_SLACK_MS = 10;
  static final int MIN_WINDOW = 100;

  private int max;
  private double limit;
  private boolean slowStart = true;
  private long lastDecreaseMs = Long.MIN_VALUE;
  private long decreases;
  private long minLatencyMs = Long.MAX_VALUE;
  private long blockMinMs = Long.MAX_VALUE;
  private long previousBlockMinMs = Long.MAX_VALUE;
  private int blockCount;

  /** Starts at {@link #INITIAL} or {@code max}, whichever is lower. */
  AdaptiveLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
    this.limit = Math.min(INITIAL, max);
  }

  /** The attempts that may run now, between 1 and the maximum. */
  synchronized int current() {
    return (int) Math.max(1, Math.min(max, Math.floor(limit)));
  }

  synchronized int max() {
    return max;
  }

  /** A new maximum (a queue's {@code maxConcurrency} changed, say); the limit is capped by it. */
  synchronized void max(int newMax) {
    if (newMax < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + newMax);
    }
    max = newMax;
    limit = Math.min(limit, newMax);
  }

  /** How often the limit went down since this destination was first seen. */
  synchronized long decreases() {
    return decreases;
  }

  /** The receiver took an attempt, answering {@code latencyMs} after it was sent. */
  synchronized void onSuccess(long latencyMs) {
    observeLatency(latencyMs);
    if (latencyMs > SLOW_FACTOR * minLatencyMs + SLOW_SLACK_MS) {
      return;
    }
    if (slowStart) {
      limit = Math.min(max, limit + 1);
    } else {
      limit = Math.min(max, limit + 1 / Math.max(1, limit));
    }
  }

  /**
   * The receiver said it is overloaded, or did not answer, for an attempt sent at {@code
   * startedAtMs}, learnt at {@code nowMs}; true if the limit went down. Attempts sent at or before
   * the last decrease change nothing.
   */
  synchronized boolean onOverload(long startedAtMs, long nowMs) {
    if (startedAtMs <= lastDecreaseMs) {
      return false;
    }
    lastDecreaseMs = Math.max(nowMs, startedAtMs);
    // Slow start overshoots by up to twice what the receiver takes: halve, as TCP does.
    limit = Math.max(1, Math.min(limit, max) * (slowStart ? 0.5 : DECREASE));
    slowStart = false;
    decreases++;
    return true;
  }

  private void observeLatency(long latencyMs) {
    blockMinMs = Math.min(blockMinMs, latencyMs);
    if (++blockCount >= MIN_WINDOW) {
      previousBlockMinMs = blockMinMs;
      blockMinMs = Long.MAX_VALUE;
      blockCount = 0;
    }
    minLatencyMs = Math.min(blockMinMs, previousBlockMinMs);
  }
}
