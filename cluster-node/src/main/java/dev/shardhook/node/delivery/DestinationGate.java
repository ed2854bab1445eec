package dev.shardhook.node.delivery;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobRecord;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.function.Predicate;

/**
 * Everything that decides whether one destination (host) may get another attempt now: its bounded
 * queue of due jobs, its adaptive concurrency limit (attempts running against it, {@link
 * AdaptiveLimit}), its circuit breaker, whether it is disabled, and the time it is parked until
 * after the breaker refused. The queue, parking and disabled flag are touched by the scan loop
 * only; the limit, running count and breaker (kept in the {@link DestinationHealth}, which outlives
 * the gate) also by finishing attempts.
 */
final class DestinationGate {
  private final DestinationHealth health;
  private final int maxQueued;
  private final ArrayDeque<JobRecord> queue = new ArrayDeque<>();
  // Ids read while the queue was full: left out of scans (no decoding) until the queue has room.
  private final LinkedHashSet<String> overflow = new LinkedHashSet<>();
  private long parkedUntilMs;
  private boolean disabled;
  private volatile long lastAnsweredMs = Long.MIN_VALUE;
  private long lastUsedMs;

  /** A gate with a health of its own: at most {@code maxRunning} attempts at once. */
  DestinationGate(String host, int maxRunning, int maxQueued, CircuitBreaker breaker, long nowMs) {
    this(new DestinationHealth(host, breaker, maxRunning, nowMs), maxQueued, nowMs);
  }

  DestinationGate(DestinationHealth health, int maxQueued, long nowMs) {
    this.health = health;
    this.maxQueued = maxQueued;
    this.lastUsedMs = nowMs;
  }

  String host() {
    return health.host();
  }

  DestinationHealth health() {
    return health;
  }

  /** Queues {@code job}; false when the queue is full. */
  boolean offer(JobRecord job, long nowMs) {
    lastUsedMs = nowMs;
    if (queue.size() >= maxQueued) {
      return false;
    }
    queue.add(job);
    health.queued(queue.size());
    return true;
  }

  int queued() {
    return queue.size();
  }

  /** Whether a queued job could start now, as far as the limit and parking tell. */
  boolean ready(long nowMs) {
    return !queue.isEmpty() && canTakeMore(nowMs);
  }

  /** Enabled, below its concurrency limit and not parked: more jobs for it are worth reading. */
  boolean canTakeMore(long nowMs) {
    return !disabled && health.running().get() < health.limit().current() && nowMs >= parkedUntilMs;
  }

  int maxQueued() {
    return maxQueued;
  }

  void disabled(boolean disabled) {
    this.disabled = disabled;
  }

  boolean disabled() {
    return disabled;
  }

  /**
   * The next queued job, with a slot of the limit and a breaker permission taken for it; null when
   * the breaker refuses, and then the gate parks for {@code parkMs}.
   */
  JobRecord admit(long nowMs, long parkMs) {
    if (!ready(nowMs)) {
      return null;
    }
    if (!health.breaker().tryAcquirePermission()) {
      parkedUntilMs = nowMs + parkMs;
      return null;
    }
    health.running().incrementAndGet();
    lastUsedMs = nowMs;
    health.used(nowMs);
    JobRecord job = queue.poll();
    health.queued(queue.size());
    return job;
  }

  /**
   * While disabled: the first queued job that is to fail rather than wait ({@code fails}), taken
   * out of the queue with a running slot (no breaker permission); null if none.
   */
  JobRecord admitRefused(Predicate<JobRecord> fails) {
    if (!disabled) {
      return null;
    }
    for (Iterator<JobRecord> it = queue.iterator(); it.hasNext(); ) {
      JobRecord job = it.next();
      if (fails.test(job)) {
        it.remove();
        health.queued(queue.size());
        health.running().incrementAndGet();
        return job;
      }
    }
    return null;
  }

  /** Gives back what {@link #admit} took, for a job that did not start after all. */
  void release() {
    health.breaker().releasePermission();
    health.running().decrementAndGet();
  }

  /** Gives back what {@link #admitRefused} took. */
  void releaseRefused() {
    health.running().decrementAndGet();
  }

  /**
   * An attempt admitted here ended with {@code outcome}, at {@code nowMs}; true if the limit went
   * down. Any thread.
   */
  boolean finished(AttemptOutcome outcome, long nowMs) {
    boolean decreased = health.record(outcome, nowMs);
    if (outcome.statusCode() != null) {
      lastAnsweredMs = outcome.startedAt().toEpochMilli() + outcome.durationMs();
    }
    health.running().decrementAndGet();
    return decreased;
  }

  /** Whether the receiver answered an attempt (any status) at or after {@code sinceMs}. */
  boolean answeredSince(long sinceMs) {
    return lastAnsweredMs >= sinceMs;
  }

  int running() {
    return health.running().get();
  }

  LinkedHashSet<String> overflow() {
    return overflow;
  }

  /** Empties the queue; returns the jobs it held. */
  ArrayDeque<JobRecord> drain() {
    ArrayDeque<JobRecord> out = new ArrayDeque<>(queue);
    queue.clear();
    health.queued(0);
    return out;
  }

  /** Nothing queued, running or remembered, and a closed breaker: the gate may be forgotten. */
  boolean idleSince(long cutoffMs) {
    return queue.isEmpty()
        && overflow.isEmpty()
        && health.running().get() == 0
        && health.breaker().getState() == CircuitBreaker.State.CLOSED
        && lastUsedMs <= cutoffMs;
  }
}
