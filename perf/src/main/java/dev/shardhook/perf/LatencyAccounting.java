package dev.shardhook.perf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Submit → first attempt latency of the {@code latency} scenario: for each acknowledged job sent in
 * the measured window, the time from just before its {@code POST /jobs} was sent to the first
 * arrival of its webhook at the sink (one clock: both are {@link System#nanoTime()} of the harness
 * JVM). A job acknowledged but never seen by the sink is missing, not a latency.
 *
 * @param measured acknowledged jobs sent within the window
 * @param arrived those whose webhook reached the sink
 * @param latency submit → first arrival of the arrived ones
 * @param accept submit → acknowledgement (201) of the same jobs: the accept path's share
 * @param afterAccept acknowledgement → first arrival: commit to dispatcher to receiver (it can be
 *     negative when the webhook beats the 201 back to the client; counted as 0)
 * @param perSecond p50 and p99 per second of the window, by submit time
 */
record LatencyAccounting(
    long measured,
    long arrived,
    LatencyRecorder latency,
    LatencyRecorder accept,
    LatencyRecorder afterAccept,
    List<SecondFigures> perSecond) {

  /** Latency of the jobs submitted in one second of the window. */
  record SecondFigures(double second, long jobs, double p50Ms, double p99Ms) {}

  long missing() {
    return measured - arrived;
  }

  /**
   * Counts the jobs of {@code accepted} sent in {@code [fromNanos, toNanos)} against {@code
   * firstArrival} (webhook id → when the sink first saw it).
   */
  static LatencyAccounting of(
      Collection<ResumeTimes.Accepted> accepted,
      Map<String, Long> firstArrival,
      long fromNanos,
      long toNanos) {
    LatencyRecorder all = new LatencyRecorder();
    LatencyRecorder accept = new LatencyRecorder();
    LatencyRecorder afterAccept = new LatencyRecorder();
    Map<Long, LatencyRecorder> bySecond = new TreeMap<>();
    long measured = 0;
    long arrived = 0;
    for (ResumeTimes.Accepted a : accepted) {
      if (a.sentNanos() < fromNanos || a.sentNanos() >= toNanos) {
        continue;
      }
      measured++;
      Long at = firstArrival.get(a.id());
      if (at == null) {
        continue;
      }
      arrived++;
      // a webhook cannot arrive before its job was sent; clamp rather than record a negative
      long nanos = Math.max(0, at - a.sentNanos());
      all.recordNanos(nanos);
      accept.recordNanos(a.answeredNanos() - a.sentNanos());
      afterAccept.recordNanos(Math.max(0, at - a.answeredNanos()));
      bySecond
          .computeIfAbsent((a.sentNanos() - fromNanos) / 1_000_000_000L, s -> new LatencyRecorder())
          .recordNanos(nanos);
    }
    List<SecondFigures> perSecond = new ArrayList<>();
    bySecond.forEach(
        (second, r) ->
            perSecond.add(
                new SecondFigures(
                    second, r.count(), r.percentileMillis(50), r.percentileMillis(99))));
    return new LatencyAccounting(
        measured, arrived, all, accept, afterAccept, List.copyOf(perSecond));
  }
}
