package dev.shardhook.perf;

import java.util.Collection;
import java.util.List;

/**
 * Percentiles of a small sample (a handful of failover resume times): the nearest-rank method,
 * which always answers one of the observed values. Latency histograms use {@link LatencyRecorder}.
 */
final class Percentiles {
  private Percentiles() {}

  /**
   * The smallest value with at least {@code percentile} percent of the sample at or below it; NaN
   * for an empty sample. NaN values in the sample (a resume that never happened) sort last.
   */
  static double nearestRank(Collection<Double> sample, double percentile) {
    if (percentile < 0 || percentile > 100) {
      throw new IllegalArgumentException("percentile must be 0..100, got " + percentile);
    }
    if (sample.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = sample.stream().sorted(Percentiles::nanLast).toList();
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  /** The largest value; NaN when the sample is empty or holds NaN (something never resumed). */
  static double max(Collection<Double> sample) {
    return nearestRank(sample, 100);
  }

  private static int nanLast(Double a, Double b) {
    if (a.isNaN() || b.isNaN()) {
      return Boolean.compare(a.isNaN(), b.isNaN());
    }
    return Double.compare(a, b);
  }
}
