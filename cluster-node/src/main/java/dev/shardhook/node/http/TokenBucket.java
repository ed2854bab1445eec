package dev.shardhook.node.http;

import java.time.Duration;

/** One tenant's submit rate on this node: refills continuously, holds at most the burst. */
final class TokenBucket {
  private double tokens;
  private long lastNanos;
  private boolean started;

  /**
   * Takes {@code n} tokens if the bucket holds them.
   *
   * @return zero when taken, else how long until it would hold {@code n} (nothing is taken)
   */
  synchronized Duration take(int n, double perSecond, long burst, long nowNanos) {
    if (!started) {
      tokens = burst;
      lastNanos = nowNanos;
      started = true;
    }
    long elapsed = Math.max(0, nowNanos - lastNanos);
    tokens = Math.min(burst, tokens + elapsed * perSecond / 1e9);
    lastNanos = nowNanos;
    if (tokens >= n) {
      tokens -= n;
      return Duration.ZERO;
    }
    double missing = Math.min(n, burst) - tokens;
    return Duration.ofNanos((long) Math.ceil(missing / perSecond * 1e9));
  }
}
