package dev.shardhook.perf;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Request latencies of one worker thread in microseconds (1 µs to 10 min, three significant
 * digits); not thread-safe: give each worker its own and {@link #add} them at the end.
 */
final class LatencyRecorder {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
  private final Histogram histogram = new Histogram(1, HIGHEST_MICROS, 3);

  void recordNanos(long nanos) {
    long micros = Math.max(1, Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
    histogram.recordValue(micros);
  }

  void add(LatencyRecorder other) {
    histogram.add(other.histogram);
  }

  long count() {
    return histogram.getTotalCount();
  }

  /** The latency at {@code percentile} (0–100) in milliseconds; NaN when nothing was recorded. */
  double percentileMillis(double percentile) {
    if (histogram.getTotalCount() == 0) {
      return Double.NaN;
    }
    return histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMillis() {
    return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
  }
}
