package dev.shardhook.node.delivery;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobRecord;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything that decides whether one destination (host) may get another attempt now: its bounded
 * queue of due jobs, its bulkhead (attempts running against it), its circuit breaker and the time
 * it is parked until after the breaker refused. The queue and parking are touched by the scan loop
 * only; the running count and breaker also by finishing attempts.
 */
final class DestinationGate {
  private final String host;
  private final int maxRunning;
  private final int maxQueued;
  private final CircuitBreaker breaker;
  private final ArrayDeque<JobRecord> queue = new ArrayDeque<>();
  // Ids read while the queue was full: left out of scans (no decoding) until the queue has room.
  private final LinkedHashSet<String> overflow = new LinkedHashSet<>();
  private final AtomicInteger running = new AtomicInteger();
  private long parkedUntilMs;
  private volatile long lastAnsweredMs = Long.MIN_VALUE;
  private long lastUsedMs;

  DestinationGate(String host, int maxRunning, int maxQueued, CircuitBreaker breaker, long nowMs) {
    this.host = host;
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
    this.breaker = breaker;
    this.lastUsedMs = nowMs;
  }

  String host() {
    return host;
  }

  /** Queues {@code job}; false when the queue is full. */
  boolean offer(JobRecord job, long nowMs) {
    lastUsedMs = nowMs;
    if (queue.size() >= maxQueued) {
      return false;
    }
    queue.add(job);
    return true;
  }

  int queued() {
    return queue.size();
  }

  /** Whether a queued job could start now, as far as the bulkhead and parking tell. */
  boolean ready(long nowMs) {
    return !queue.isEmpty() && canTakeMore(nowMs);
  }

  /** Below its bulkhead and not parked: more jobs for it are worth reading. */
  boolean canTakeMore(long nowMs) {
    return running.get() < maxRunning && nowMs >= parkedUntilMs;
  }

  int maxQueued() {
    return maxQueued;
  }

  /**
   * The next queued job, with a bulkhead slot and a breaker permission taken for it; null when the
   * breaker refuses, and then the gate parks for {@code parkMs}.
   */
  JobRecord admit(long nowMs, long parkMs) {
    if (!ready(nowMs)) {
      return null;
    }
    if (!breaker.tryAcquirePermission()) {
      parkedUntilMs = nowMs + parkMs;
      return null;
    }
    running.incrementAndGet();
    lastUsedMs = nowMs;
    return queue.poll();
  }

  /** Gives back what {@link #admit} took, for a job that did not start after all. */
  void release() {
    breaker.releasePermission();
    running.decrementAndGet();
  }

  /** An attempt admitted here ended with {@code outcome}. Any thread. */
  void finished(AttemptOutcome outcome) {
    Integer status = outcome.statusCode();
    if (outcome.permanent()) {
      // a refused target or malformed request says nothing about the host's health
      breaker.releasePermission();
    } else if (status == null || status == 429 || status >= 500) {
      breaker.onError(outcome.durationMs(), TimeUnit.MILLISECONDS, ReceiverFailure.INSTANCE);
    } else {
      breaker.onSuccess(outcome.durationMs(), TimeUnit.MILLISECONDS);
    }
    if (status != null) {
      lastAnsweredMs = outcome.startedAt().toEpochMilli() + outcome.durationMs();
    }
    running.decrementAndGet();
  }

  /** Whether the receiver answered an attempt (any status) at or after {@code sinceMs}. */
  boolean answeredSince(long sinceMs) {
    return lastAnsweredMs >= sinceMs;
  }

  int running() {
    return running.get();
  }

  LinkedHashSet<String> overflow() {
    return overflow;
  }

  /** Empties the queue; returns the jobs it held. */
  ArrayDeque<JobRecord> drain() {
    ArrayDeque<JobRecord> out = new ArrayDeque<>(queue);
    queue.clear();
    return out;
  }

  /** Nothing queued, running or remembered, and a closed breaker: the gate may be forgotten. */
  boolean idleSince(long cutoffMs) {
    return queue.isEmpty()
        && overflow.isEmpty()
        && running.get() == 0
        && breaker.getState() == CircuitBreaker.State.CLOSED
        && lastUsedMs <= cutoffMs;
  }

  /** What a circuit breaker counts as a failed call; outcomes carry the details. */
  private static final class ReceiverFailure extends Exception {
    static final ReceiverFailure INSTANCE = new ReceiverFailure();

    private ReceiverFailure() {
      super("receiver failed", null, false, false);
    }
  }
}
