package dev.shardhook.perf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Events per second over time, for the failover timeline chart. */
final class RateSeries {
  private RateSeries() {}

  /**
   * Counts {@code eventNanos} in buckets of {@code bucketSeconds} from {@code startNanos} to {@code
   * endNanos} and returns points {seconds since start (bucket middle), events per second}.
   */
  static List<double[]> perSecond(
      Collection<Long> eventNanos, long startNanos, long endNanos, double bucketSeconds) {
    if (bucketSeconds <= 0 || endNanos < startNanos) {
      throw new IllegalArgumentException("bucket > 0 and end >= start");
    }
    long bucketNanos = (long) (bucketSeconds * 1e9);
    int buckets = (int) Math.max(1, (endNanos - startNanos + bucketNanos - 1) / bucketNanos);
    long[] counts = new long[buckets];
    for (long at : eventNanos) {
      if (at >= startNanos && at < endNanos) {
        counts[(int) ((at - startNanos) / bucketNanos)]++;
      }
    }
    List<double[]> points = new ArrayList<>(buckets);
    for (int i = 0; i < buckets; i++) {
      points.add(new double[] {(i + 0.5) * bucketSeconds, counts[i] / bucketSeconds});
    }
    return points;
  }
}
