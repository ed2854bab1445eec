package dev.shardhook.node.delivery;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueuePolicies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The named queues' gates on the leader (README, "Queues"), consulted before a due job joins its
 * destination's queue: a paused queue's jobs are not queued at all (they hold no room), and a queue
 * at its concurrency share or out of tokens leaves its jobs in the due index, where the next pass
 * finds them; so a limited queue never stands in front of another queue's jobs to the same
 * destination.
 *
 * <p>A job holds its queue's slot from the moment it is queued for its destination until its
 * attempt is answered; jobs dropped from a destination's queue (or never started) give their slot
 * back at the next {@link #tidy}. Tokens refill by the injected clock, each node on its own: a new
 * leader starts with full buckets.
 */
final class QueueGates {
  // Gates unused this long, with nothing held, are forgotten.
  static final long FORGET_IDLE_MS = 60_000;

  private volatile QueuePolicies policies;
  private final Map<Key, Gate> gates = new ConcurrentHashMap<>();
  private final Counter rateLimited;
  private final Counter concurrencyLimited;
  private final Counter pausedSkips;

  QueueGates(MeterRegistry registry) {
    this.rateLimited =
        Counter.builder("shardhook.queue.rate.limited")
            .description("Due jobs left waiting because their queue was out of tokens (per pass)")
            .register(registry);
    this.concurrencyLimited =
        Counter.builder("shardhook.queue.concurrency.limited")
            .description("Due jobs left waiting because their queue ran its maxConcurrency share")
            .register(registry);
    this.pausedSkips =
        Counter.builder("shardhook.queue.paused.skipped")
            .description("Due jobs left waiting because their queue is paused (per pass)")
            .register(registry);
  }

  /** Where queue configurations come from; until set, every job passes. */
  void use(QueuePolicies policies) {
    this.policies = policies;
  }

  /**
   * Whether {@code job} may be queued for delivery now; if so it holds a slot of its queue and has
   * taken a token.
   */
  boolean admit(JobRecord job, long nowMs) {
    QueuePolicies p = policies;
    if (p == null) {
      return true;
    }
    QueueConfig config = p.ofJob(job);
    Gate gate =
        gates.computeIfAbsent(new Key(TenantIds.tenantOf(job.id()), job.queue()), Gate::new);
    gate.lastUsedMs = nowMs;
    if (config.paused()) {
      pausedSkips.increment();
      return false;
    }
    Integer max = config.perShardConcurrency();
    if (max != null && gate.held.size() >= max && !gate.held.contains(job.id())) {
      concurrencyLimited.increment();
      return false;
    }
    Double rate = config.perShardRate();
    if (rate != null && !gate.take(rate, config.perShardBurst(), nowMs)) {
      rateLimited.increment();
      return false;
    }
    gate.held.add(job.id());
    return true;
  }

  /** {@code job} was admitted but not queued after all: its slot and token go back. */
  void giveBack(JobRecord job, long nowMs) {
    Gate gate = gates.get(new Key(TenantIds.tenantOf(job.id()), job.queue()));
    if (gate != null && gate.held.remove(job.id())) {
      gate.refund();
    }
  }

  /** {@code job}'s attempt was answered: its slot is free. Any thread. */
  void ended(JobRecord job) {
    Gate gate = gates.get(new Key(TenantIds.tenantOf(job.id()), job.queue()));
    if (gate != null) {
      gate.held.remove(job.id());
    }
  }

  /**
   * Frees the slots of jobs no longer queued or running ({@code stillHeld} says which are), and
   * forgets idle gates.
   */
  void tidy(Predicate<String> stillHeld, long nowMs) {
    for (Iterator<Gate> it = gates.values().iterator(); it.hasNext(); ) {
      Gate gate = it.next();
      gate.held.removeIf(id -> !stillHeld.test(id));
      if (gate.held.isEmpty() && gate.lastUsedMs < nowMs - FORGET_IDLE_MS) {
        it.remove();
      }
    }
  }

  /** Jobs of the queue queued for their destination or running on this node. */
  int running(String tenant, String queue) {
    Gate gate = gates.get(new Key(tenant, queue));
    return gate == null ? 0 : gate.held.size();
  }

  private record Key(String tenant, String queue) {}

  /** One queue's slots and token bucket. */
  private static final class Gate {
    final Set<String> held = ConcurrentHashMap.newKeySet();
    volatile long lastUsedMs;
    private double tokens = Double.NaN;
    private long refilledAtMs;

    Gate(Key key) {}

    /** Takes a token if the bucket holds one; the scan loop's thread only. */
    boolean take(double perSecond, int burst, long nowMs) {
      if (Double.isNaN(tokens)) {
        tokens = burst;
        refilledAtMs = nowMs;
      }
      long elapsed = Math.max(0, nowMs - refilledAtMs);
      tokens = Math.min(burst, tokens + elapsed * perSecond / 1000.0);
      refilledAtMs = Math.max(refilledAtMs, nowMs);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    void refund() {
      if (!Double.isNaN(tokens)) {
        tokens += 1;
      }
    }
  }
}
