package dev.shardhook.perf;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The receiver's view of an ordered run: for each key, the job numbers in the order their requests
 * arrived. Order holds when every arrival is the job last seen for its key (a retry or an
 * at-least-once repeat) or the one right after it; anything else (an earlier job after a later one,
 * or a job before its predecessor was ever delivered) counts as out of order. Thread-safe.
 */
final class FifoAccounting {
  private final Map<Integer, Integer> lastOfKey = new HashMap<>();
  private final Set<String> delivered = new HashSet<>();
  private long arrivals;
  private long outOfOrder;
  private long firstNanos = Long.MAX_VALUE;
  private long lastFirstNanos = Long.MIN_VALUE;

  /**
   * The figures of a run.
   *
   * @param delivered distinct jobs that arrived
   * @param repeats arrivals beyond the first of a job
   * @param outOfOrder arrivals that broke their key's order
   * @param seconds from {@code startNanos} to the last job's first arrival
   * @param perSecond distinct jobs delivered per second over {@code seconds}
   */
  record Figures(long delivered, long repeats, long outOfOrder, double seconds, double perSecond) {}

  /** Job {@code n} (numbered from 0 within its key) of key {@code key} arrived. */
  synchronized void arrived(int key, int n, long nanos) {
    arrivals++;
    int last = lastOfKey.getOrDefault(key, -1);
    if (n != last && n != last + 1) {
      outOfOrder++;
    }
    if (n > last) {
      lastOfKey.put(key, n);
    }
    if (delivered.add(key + "/" + n)) {
      firstNanos = Math.min(firstNanos, nanos);
      lastFirstNanos = Math.max(lastFirstNanos, nanos);
    }
  }

  synchronized long delivered() {
    return delivered.size();
  }

  synchronized Figures figures(long startNanos) {
    double seconds =
        delivered.isEmpty() ? Double.NaN : (lastFirstNanos - startNanos) / 1_000_000_000.0;
    return new Figures(
        delivered.size(),
        arrivals - delivered.size(),
        outOfOrder,
        seconds,
        delivered.isEmpty() ? 0 : delivered.size() / seconds);
  }
}
