package dev.shardhook.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Samples a phase of the {@code history} scenario every {@code periodMs} on a thread of its own:
 * jobs accepted and delivered so far, and the nodes' exported rows (less those at the start) and
 * lag. {@link #finish} takes a last sample and returns the timeline.
 */
final class ExportSampler {
  private final HistoryMetrics metrics;
  private final LongSupplier accepted;
  private final LongSupplier delivered;
  private final long startNanos;
  private final long base;
  private final List<ExportTimeline.Sample> samples = new ArrayList<>();
  private final AtomicLong exported = new AtomicLong();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("history-sampler").factory());

  /** Starts sampling; seconds count from now, exported rows from what the nodes report now. */
  ExportSampler(
      HistoryMetrics metrics, LongSupplier accepted, LongSupplier delivered, long periodMs)
      throws InterruptedException {
    this.metrics = metrics;
    this.accepted = accepted;
    this.delivered = delivered;
    this.base = metrics.read().exported();
    this.startNanos = System.nanoTime();
    timer.scheduleAtFixedRate(
        () -> {
          try {
            sample();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        0,
        periodMs,
        TimeUnit.MILLISECONDS);
  }

  long startNanos() {
    return startNanos;
  }

  /** Rows exported since the start, as of the latest sample. */
  long exported() {
    return exported.get();
  }

  private void sample() throws InterruptedException {
    HistoryMetrics.Reading r = metrics.read();
    ExportTimeline.Sample s =
        new ExportTimeline.Sample(
            (System.nanoTime() - startNanos) / 1e9,
            accepted.getAsLong(),
            delivered.getAsLong(),
            r.exported() - base,
            r.lagSeconds(),
            r.lagEntries());
    exported.set(s.exported());
    synchronized (samples) {
      samples.add(s);
    }
  }

  /** Stops sampling, takes a last sample and returns them all. */
  ExportTimeline finish() throws InterruptedException {
    timer.shutdown();
    timer.awaitTermination(10, TimeUnit.SECONDS);
    sample();
    synchronized (samples) {
      return new ExportTimeline(samples);
    }
  }
}
