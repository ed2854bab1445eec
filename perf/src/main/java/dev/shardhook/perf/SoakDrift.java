package dev.shardhook.perf;

import java.util.List;

/**
 * Drift of a sampled figure in the {@code soak} scenario: the mean of the last window of samples
 * over the mean of the first window after the settling time, minus one. 0.1 is 10% growth; the goal
 * is |drift| <= 0.1 for RSS, heap after GC, open files, threads and data-dir bytes.
 */
final class SoakDrift {
  /** A sample: seconds since the load started, and the figure (negative: not read). */
  record Point(double seconds, double value) {}

  /** The means compared, and the drift; NaN where a window holds no readable sample. */
  record Result(double first, double last, double drift) {
    boolean within(double goal) {
      return !Double.isNaN(drift) && Math.abs(drift) <= goal;
    }
  }

  private SoakDrift() {}

  /**
   * Compares the samples in {@code [settle, settle + window)} with those in {@code (end - window,
   * end]}, {@code end} being the last sample's time.
   */
  static Result drift(List<Point> points, double settleSeconds, double windowSeconds) {
    if (windowSeconds <= 0) {
      throw new IllegalArgumentException("window must be > 0, got " + windowSeconds);
    }
    double end = points.stream().mapToDouble(Point::seconds).max().orElse(Double.NaN);
    double first = mean(points, settleSeconds, settleSeconds + windowSeconds, false);
    double last = mean(points, end - windowSeconds, end, true);
    double drift = first > 0 && !Double.isNaN(last) ? last / first - 1 : Double.NaN;
    if (first == 0 && last == 0) {
      drift = 0;
    }
    return new Result(first, last, drift);
  }

  /**
   * The window the scenario compares: a fifth of the time after settling, but at least three sample
   * intervals.
   */
  static double window(double durationSeconds, double settleSeconds, double sampleSeconds) {
    return Math.max(3 * sampleSeconds, (durationSeconds - settleSeconds) / 5);
  }

  private static double mean(List<Point> points, double from, double to, boolean openLeft) {
    double sum = 0;
    int n = 0;
    for (Point p : points) {
      boolean inside =
          openLeft
              ? p.seconds() > from && p.seconds() <= to
              : p.seconds() >= from && p.seconds() < to;
      if (inside && p.value() >= 0) {
        sum += p.value();
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
