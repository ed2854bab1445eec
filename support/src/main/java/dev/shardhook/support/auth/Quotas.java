package dev.shardhook.support.auth;

/**
 * A tenant's limits on each shard; 0 means none.
 *
 * @param maxPendingPerShard most jobs waiting for delivery on one shard
 * @param submitRatePerSecond jobs one node takes per second (token bucket refill)
 * @param submitBurst jobs the bucket holds when full; 0 means one second's worth
 */
public record Quotas(long maxPendingPerShard, double submitRatePerSecond, long submitBurst) {
  public static final Quotas NONE = new Quotas(0, 0, 0);

  public Quotas {
    if (maxPendingPerShard < 0 || submitBurst < 0 || !(submitRatePerSecond >= 0)) {
      throw new IllegalArgumentException("quotas are >= 0");
    }
    if (Double.isInfinite(submitRatePerSecond)) {
      throw new IllegalArgumentException("submitRatePerSecond must be finite");
    }
  }

  /** The bucket size the rate allows: {@link #submitBurst}, else one second's worth (>= 1). */
  public long burst() {
    return submitBurst > 0 ? submitBurst : Math.max(1, (long) Math.ceil(submitRatePerSecond));
  }
}
