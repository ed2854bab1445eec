package dev.shardhook.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load: {@code concurrency} clients, each runs the operation, waits for it, and runs it
 * again, for the warm-up and then the measured time. Only operations sent after the warm-up and
 * finished before the end count. The same loop drives Shardhook ({@code POST /jobs}) and the etcd
 * baseline (a put), so both are measured alike.
 */
final class ClosedLoop {
  /** One request; it succeeds unless it throws. */
  @FunctionalInterface
  interface Operation {
    void run() throws Exception;
  }

  private static final int MAX_LOGGED_ERRORS = 5;

  private final String label;
  private final int concurrency;
  private final Duration warmup;
  private final Duration duration;
  private final Console console;
  private final LongAdder measuredOk = new LongAdder();
  private final LongAdder measuredErrors = new LongAdder();
  private final LongAdder allOk = new LongAdder();
  private final LongAdder allErrors = new LongAdder();
  private final AtomicInteger loggedErrors = new AtomicInteger();

  ClosedLoop(String label, int concurrency, Duration warmup, Duration duration, Console console) {
    if (concurrency < 1 || duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new IllegalArgumentException("concurrency >= 1, duration > 0, warm-up >= 0");
    }
    this.label = label;
    this.concurrency = concurrency;
    this.warmup = warmup;
    this.duration = duration;
    this.console = console;
  }

  /** Runs the load with {@code system} as the figures' name. */
  AcceptFigures run(String system, Operation operation) throws Exception {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + duration.toNanos();
    double total = end - start;
    LatencyRecorder latency = new LatencyRecorder();
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        Progress bar =
            Progress.start(
                console,
                label,
                () -> (System.nanoTime() - start) / total,
                () ->
                    (System.nanoTime() < measureFrom ? "warm-up " : "")
                        + "ok="
                        + allOk.sum()
                        + " errors="
                        + allErrors.sum())) {
      List<Future<LatencyRecorder>> results = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        results.add(clients.submit(() -> client(operation, measureFrom, end)));
      }
      for (Future<LatencyRecorder> result : results) {
        latency.add(result.get());
      }
    }
    return new AcceptFigures(
        system, measuredOk.sum(), measuredErrors.sum(), duration.toNanos() / 1e9, latency);
  }

  private LatencyRecorder client(Operation operation, long measureFrom, long end)
      throws InterruptedException {
    LatencyRecorder latency = new LatencyRecorder();
    while (System.nanoTime() < end) {
      long sent = System.nanoTime();
      boolean ok;
      try {
        operation.run();
        ok = true;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        ok = false;
        logError(e);
      }
      long answered = System.nanoTime();
      (ok ? allOk : allErrors).increment();
      if (sent >= measureFrom && answered <= end) {
        if (ok) {
          measuredOk.increment();
          latency.recordNanos(answered - sent);
        } else {
          measuredErrors.increment();
        }
      }
      if (!ok) {
        TimeUnit.MILLISECONDS.sleep(10); // no hot loop against a server that refuses
      }
    }
    return latency;
  }

  private void logError(Exception e) {
    int n = loggedErrors.incrementAndGet();
    if (n <= MAX_LOGGED_ERRORS) {
      console.say("%s: error: %s", label, e.getMessage() == null ? e : e.getMessage());
    } else if (n == MAX_LOGGED_ERRORS + 1) {
      console.say("%s: (further errors are counted, not shown)", label);
    }
  }
}
