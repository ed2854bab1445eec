package dev.shardhook.perf;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of the {@code adaptive} scenario from per-second counts at the receiver: each second
 * since the first request, the attempts it got, how many it refused with {@code 429}, how many it
 * took. The summary covers the seconds after the warm-up while the backlog still held at least a
 * second of the receiver's capacity (the drain at the end, when fewer jobs are left than the
 * receiver could take, says nothing about the limiter).
 *
 * @param attempts requests per second
 * @param refused {@code 429} answers per second
 * @param taken {@code 2xx} answers per second (deliveries)
 * @param jobs jobs in the run
 * @param warmupSeconds seconds left out at the start
 * @param capacityPerSecond what the receiver can take: its concurrency over its latency
 */
record AdaptiveAccounting(
    long[] attempts,
    long[] refused,
    long[] taken,
    long jobs,
    int warmupSeconds,
    double capacityPerSecond) {

  /** The seconds the summary covers: from the warm-up until less than a second's work was left. */
  List<Integer> window() {
    List<Integer> out = new ArrayList<>();
    long delivered = 0;
    for (int s = 0; s < taken.length; s++) {
      delivered += taken[s];
      if (s >= warmupSeconds && jobs - delivered >= capacityPerSecond) {
        out.add(s);
      }
    }
    return out;
  }

  /** Share of the window's attempts answered {@code 429}; NaN for an empty window. */
  double refusedShare() {
    long a = 0;
    long r = 0;
    for (int s : window()) {
      a += attempts[s];
      r += refused[s];
    }
    return a == 0 ? Double.NaN : (double) r / a;
  }

  /** Deliveries per second over the window; NaN for an empty window. */
  double throughput() {
    List<Integer> w = window();
    long t = 0;
    for (int s : w) {
      t += taken[s];
    }
    return w.isEmpty() ? Double.NaN : (double) t / w.size();
  }

  /** {@link #throughput()} over what the receiver allows. */
  double efficiency() {
    return throughput() / capacityPerSecond;
  }
}
