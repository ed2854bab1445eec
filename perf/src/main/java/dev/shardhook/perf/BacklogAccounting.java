package dev.shardhook.perf;

import java.util.List;

/**
 * The figures of the {@code backlog} scenario from what it measured: the accept ratio at the full
 * backlog over the empty shard, disk bytes per pending job, the highest heap sampled, and the time
 * a load of N jobs would take at the rate measured so far.
 */
final class BacklogAccounting {
  /** A heap sample: seconds since the run started, pending jobs then, and heap after GC. */
  record HeapPoint(double seconds, long pending, String node, long heapBytes, long rssBytes) {}

  private BacklogAccounting() {}

  /** Accepts per second at the full backlog over those at the empty shard; NaN without both. */
  static double acceptRatio(double emptyOpsPerSec, double fullOpsPerSec) {
    if (!(emptyOpsPerSec > 0) || Double.isNaN(fullOpsPerSec)) {
      return Double.NaN;
    }
    return fullOpsPerSec / emptyOpsPerSec;
  }

  /** Disk bytes per pending job; NaN without jobs or without a disk figure. */
  static double bytesPerJob(long diskBytes, long pending) {
    return pending > 0 && diskBytes >= 0 ? (double) diskBytes / pending : Double.NaN;
  }

  /** Jobs per second of a load that stored {@code jobs} in {@code seconds}. */
  static double loadRate(long jobs, double seconds) {
    return seconds > 0 ? jobs / seconds : Double.NaN;
  }

  /** Seconds a load of {@code target} jobs would take at {@code jobsPerSecond}. */
  static double extrapolatedSeconds(long target, double jobsPerSecond) {
    return jobsPerSecond > 0 ? target / jobsPerSecond : Double.POSITIVE_INFINITY;
  }

  /** The highest heap of the samples (unreadable ones, -1, skipped); -1 when none. */
  static long maxHeap(List<HeapPoint> points) {
    return points.stream().mapToLong(HeapPoint::heapBytes).filter(b -> b >= 0).max().orElse(-1);
  }

  /** The highest RSS of the samples; -1 when none. */
  static long maxRss(List<HeapPoint> points) {
    return points.stream().mapToLong(HeapPoint::rssBytes).filter(b -> b >= 0).max().orElse(-1);
  }

  /** Whether every figure meets the goals (NaN or unread figures do not). */
  static boolean meetsGoals(
      long maxHeapBytes, long heapGoalBytes, double acceptRatio, double restartSeconds) {
    return maxHeapBytes >= 0
        && maxHeapBytes <= heapGoalBytes
        && acceptRatio >= 0.8
        && restartSeconds <= 60;
  }

  static double mib(long bytes) {
    return bytes < 0 ? Double.NaN : bytes / (1024.0 * 1024.0);
  }
}
