package dev.shardhook.perf;

/** The derived figures of the scenarios: ratios, the delivery bound, scaling efficiency. */
final class Efficiency {
  private Efficiency() {}

  /**
   * {@code ours / theirs}, e.g. Shardhook's ops/s over the baseline's; NaN (written as {@code
   * null}) when either side is missing or the baseline did nothing.
   */
  static double ratio(double ours, double theirs) {
    if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs <= 0) {
      return Double.NaN;
    }
    return ours / theirs;
  }

  /**
   * The most deliveries per second {@code workers} concurrent attempts allow when every attempt
   * takes {@code latencyMs}: {@code workers / latency}. Infinite with no latency.
   */
  static double deliveryBound(int workers, long latencyMs) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    return latencyMs <= 0 ? Double.POSITIVE_INFINITY : workers * 1000.0 / latencyMs;
  }

  /** Deliveries per second as a share of the bound; NaN when there is no finite bound. */
  static double ofBound(double perSecond, double bound) {
    return Double.isInfinite(bound) ? Double.NaN : ratio(perSecond, bound);
  }

  /**
   * Scaling efficiency of {@code shards} shards against {@code baseShards} (normally 1): {@code
   * throughput(N) / (N / base × throughput(base))}; 1.0 is linear scaling.
   */
  static double scaling(double throughput, int shards, double baseThroughput, int baseShards) {
    if (shards < 1 || baseShards < 1) {
      throw new IllegalArgumentException("shard counts must be >= 1");
    }
    return ratio(throughput, baseThroughput * shards / baseShards);
  }
}
