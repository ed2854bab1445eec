package dev.shardhook.perf;

import java.util.List;
import java.util.Optional;

/**
 * The {@code history} scenario's samples over time, and what they say: when the last row was
 * exported, how many were exported by a given moment, and the peaks of the lag.
 */
final class ExportTimeline {
  /**
   * One sample.
   *
   * @param seconds since the first submission
   * @param accepted jobs acknowledged so far
   * @param delivered distinct jobs the sink received so far
   * @param exported rows the shards' leaders exported since the measurement began ({@code
   *     shardhook_history_exported_jobs_total}, summed over every node, less its value at the
   *     start)
   * @param lagSeconds the largest {@code shardhook_history_lag_seconds} of any node
   * @param lagEntries the largest {@code shardhook_history_lag_entries} of any node
   */
  record Sample(
      double seconds,
      long accepted,
      long delivered,
      long exported,
      double lagSeconds,
      long lagEntries) {}

  private final List<Sample> samples;

  /** {@code samples} in time order. */
  ExportTimeline(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  List<Sample> samples() {
    return samples;
  }

  /**
   * When {@code exported} first reached {@code rows}, interpolated linearly between the two samples
   * around it; NaN if it never did.
   */
  double secondsToExport(long rows) {
    Sample before = null;
    for (Sample s : samples) {
      if (s.exported() >= rows) {
        if (before == null || s.exported() == before.exported()) {
          return s.seconds();
        }
        double part = (double) (rows - before.exported()) / (s.exported() - before.exported());
        return before.seconds() + part * (s.seconds() - before.seconds());
      }
      before = s;
    }
    return Double.NaN;
  }

  /** Rows exported by {@code seconds}, interpolated linearly; 0 before the first sample. */
  double exportedAt(double seconds) {
    Sample before = null;
    for (Sample s : samples) {
      if (s.seconds() >= seconds) {
        if (before == null || s.seconds() == before.seconds()) {
          return before == null && s.seconds() > seconds ? 0 : s.exported();
        }
        double part = (seconds - before.seconds()) / (s.seconds() - before.seconds());
        return before.exported() + part * (s.exported() - before.exported());
      }
      before = s;
    }
    return before == null ? 0 : before.exported();
  }

  /** The first sample that saw rows exported. */
  Optional<Sample> firstExported() {
    return samples.stream().filter(s -> s.exported() > 0).findFirst();
  }

  double peakLagSeconds() {
    return samples.stream().mapToDouble(Sample::lagSeconds).max().orElse(Double.NaN);
  }

  long peakLagEntries() {
    return samples.stream().mapToLong(Sample::lagEntries).max().orElse(0);
  }

  /** The most jobs delivered (so finished) and not yet exported at any sample. */
  long peakBacklog() {
    return samples.stream()
        .mapToLong(s -> Math.max(0, s.delivered() - s.exported()))
        .max()
        .orElse(0);
  }
}
