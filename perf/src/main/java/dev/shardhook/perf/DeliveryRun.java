package dev.shardhook.perf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Measures one system delivering a set of webhooks to a {@link WebhookSink}: submits them all up
 * front, waits until every acknowledged one arrived (or the timeout), listens a little longer for
 * duplicates, and takes the time from the first submission to the last first delivery. Shardhook
 * and db-scheduler go through the same run; only the {@link Submitter} differs.
 */
final class DeliveryRun {
  /** Hands the jobs to the system under test. */
  interface Submitter {
    /** Submits every job; {@code onAccepted} gets the id of each the system acknowledged. */
    void submitAll(List<WebhookJob> jobs, Consumer<String> onAccepted) throws Exception;

    /** Jobs the system refused for good. */
    long failed();
  }

  /** Progress over time: seconds since the first submission, acknowledged and delivered jobs. */
  record Sample(double seconds, long accepted, long delivered) {}

  private static final long SAMPLE_MS = 250;

  private final Duration timeout;
  private final Duration settle;
  private final Console console;

  /**
   * @param timeout how long to wait, from the first submission, for every delivery
   * @param settle how long to keep listening after the last delivery, for duplicates
   */
  DeliveryRun(Duration timeout, Duration settle, Console console) {
    this.timeout = timeout;
    this.settle = settle;
    this.console = console;
  }

  DeliverFigures measure(
      String system, WebhookSink sink, List<WebhookJob> jobs, Submitter submitter)
      throws Exception {
    return measure(system, sink, jobs, submitter, null);
  }

  /**
   * As {@link #measure(String, WebhookSink, List, Submitter)}; with {@code dueAt} (every job's
   * {@link WebhookJob#runAt}), the time is taken from then, or from the last submission's answer if
   * that came later, instead of from the first submission.
   */
  DeliverFigures measure(
      String system, WebhookSink sink, List<WebhookJob> jobs, Submitter submitter, Instant dueAt)
      throws Exception {
    long dueNanos =
        dueAt == null
            ? Long.MIN_VALUE
            : System.nanoTime() + Duration.between(Instant.now(), dueAt).toNanos();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    List<Sample> timeline = new ArrayList<>();
    long start = System.nanoTime();
    long submitted;
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("perf-sampler").factory());
    sampler.scheduleAtFixedRate(
        () -> {
          synchronized (timeline) {
            timeline.add(
                new Sample((System.nanoTime() - start) / 1e9, accepted.size(), sink.distinct()));
          }
        },
        0,
        SAMPLE_MS,
        TimeUnit.MILLISECONDS);
    try (Progress bar =
        Progress.start(
            console,
            "deliver " + system,
            () -> (double) sink.distinct() / jobs.size(),
            () ->
                "accepted="
                    + accepted.size()
                    + " delivered="
                    + sink.distinct()
                    + " duplicates="
                    + sink.duplicates())) {
      submitter.submitAll(jobs, accepted::add);
      submitted = System.nanoTime();
      long deadline = start + timeout.toNanos();
      while (countDelivered(sink, accepted) < accepted.size() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(settle.toMillis());
    } finally {
      sampler.shutdownNow();
    }
    DeliveryAccounting accounting = DeliveryAccounting.count(accepted, sink.receiptCounts());
    long last = sink.lastFirstDeliveryNanos();
    long from = start;
    if (dueAt != null) {
      from = Math.max(dueNanos, submitted);
      if (submitted > dueNanos) {
        console.say(
            "%s: submitting took %.1f s past the jobs' due time: measured from the last answer",
            system, (submitted - dueNanos) / 1e9);
      }
    }
    double seconds = last > from ? (last - from) / 1e9 : Double.NaN;
    synchronized (timeline) {
      timeline.add(new Sample((System.nanoTime() - start) / 1e9, accepted.size(), sink.distinct()));
      return new DeliverFigures(
          system,
          jobs.size(),
          submitter.failed(),
          accounting,
          seconds,
          (submitted - start) / 1e9,
          List.copyOf(timeline));
    }
  }

  private static long countDelivered(WebhookSink sink, Set<String> ids) {
    if (sink.distinct() < ids.size()) {
      return sink.distinct(); // cheap while deliveries are still arriving
    }
    return ids.stream().filter(sink::received).count();
  }
}
