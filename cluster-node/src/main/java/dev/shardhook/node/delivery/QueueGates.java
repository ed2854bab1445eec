package dev.shardhook.node.delivery;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.queue.QueueConfig;
import dev.shardhook.node.queue.QueuePolicies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The named queues' gates on the leader (README, "Queues"), consulted before a due job joins its
 * destination's queue: a paused queue's jobs are not queued at all (they hold no room), and a queue
 * at its concurrency share or out of tokens leaves its jobs in the due index; so a limited queue
 * never stands in front of another queue's jobs to the same destination.
 *
 * <p>A job holds its queue's slot from the moment it is queued for its destination until its
 * attempt is answered; jobs dropped from a destination's queue (or never started) give their slot
 * back at the next {@link #tidy}. A job the queue could not take is parked: later scans skip its id
 * without decoding it, until {@link #tidy} finds room in its queue again (at most {@link
 * #MAX_PARKED} ids are remembered). Tokens refill by the scan's clock, each node on its own: a new
 * leader starts with full buckets.
 *
 * <p>Used by the scan loop's thread (synchronized: the loops of two terms may overlap briefly), and
 * by {@link #ended} (attempt threads) and {@link #running} (any thread), which only touch the
 * concurrent {@code held} sets.
 */
final class QueueGates {
  // Gates unused this long, with nothing held or parked, are forgotten.
  static final long FORGET_IDLE_MS = 60_000;
  static final int MAX_PARKED = 100_000;

  private volatile QueuePolicies policies;
  private final Map<Key, Gate> gates = new ConcurrentHashMap<>();
  private final Map<String, Gate> parkedIds = new HashMap<>();
  private final Counter rateLimited;
  private final Counter concurrencyLimited;
  private final Counter pausedSkips;

  QueueGates(MeterRegistry registry) {
    this.rateLimited =
        Counter.builder("shardhook.queue.rate.limited")
            .description("Due jobs left waiting because their queue was out of tokens")
            .register(registry);
    this.concurrencyLimited =
        Counter.builder("shardhook.queue.concurrency.limited")
            .description("Due jobs left waiting because their queue ran its maxConcurrency share")
            .register(registry);
    this.pausedSkips =
        Counter.builder("shardhook.queue.paused.skipped")
            .description("Due jobs left waiting because their queue is paused")
            .register(registry);
  }

  /** Where queue configurations come from; until set, every job passes. */
  void use(QueuePolicies policies) {
    this.policies = policies;
  }

  /** Whether the scan should leave {@code jobId} out, undecoded: its queue cannot take it yet. */
  synchronized boolean parked(String jobId) {
    return parkedIds.containsKey(jobId);
  }

  /**
   * Whether {@code job} may be queued for delivery now; if so it holds a slot of its queue and has
   * taken a token, else it is parked.
   */
  synchronized boolean admit(JobRecord job, long nowMs) {
    QueuePolicies p = policies;
    if (p == null) {
      return true;
    }
    QueueConfig config = p.ofJob(job);
    Key key = new Key(TenantIds.tenantOf(job.id()), job.queue());
    Gate gate = gates.computeIfAbsent(key, Gate::new);
    gate.lastUsedMs = nowMs;
    if (config.paused()) {
      pausedSkips.increment();
      park(gate, job.id());
      return false;
    }
    Integer max = config.perShardConcurrency();
    if (max != null && gate.held.size() >= max) {
      concurrencyLimited.increment();
      park(gate, job.id());
      return false;
    }
    Double rate = config.perShardRate();
    if (rate != null && !gate.take(rate, config.perShardBurst(), nowMs)) {
      rateLimited.increment();
      park(gate, job.id());
      return false;
    }
    gate.held.add(job.id());
    return true;
  }

  /** {@code job} was admitted but not queued after all: its slot and token go back. */
  synchronized void giveBack(JobRecord job) {
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
   * Frees the slots of jobs no longer queued or running ({@code stillHeld} says which are), lets
   * parked jobs out as far as their queue has room now, and forgets idle gates.
   */
  synchronized void tidy(Predicate<String> stillHeld, long nowMs) {
    QueuePolicies p = policies;
    for (Iterator<Gate> it = gates.values().iterator(); it.hasNext(); ) {
      Gate gate = it.next();
      gate.held.removeIf(id -> !stillHeld.test(id));
      if (!gate.parked.isEmpty() && p != null) {
        Optional<QueueConfig> config = p.of(gate.key.tenant(), gate.key.queue());
        unpark(gate, config.map(c -> gate.room(c, nowMs)).orElse(Integer.MAX_VALUE));
      }
      if (gate.held.isEmpty()
          && gate.parked.isEmpty()
          && gate.lastUsedMs < nowMs - FORGET_IDLE_MS) {
        it.remove();
      }
    }
  }

  /** Forgets every parked id (the scan loop ends; the next one reads them again). */
  synchronized void clearParked() {
    gates.values().forEach(g -> g.parked.clear());
    parkedIds.clear();
  }

  /** Jobs of the queue queued for their destination or running on this node. */
  int running(String tenant, String queue) {
    Gate gate = gates.get(new Key(tenant, queue));
    return gate == null ? 0 : gate.held.size();
  }

  private void park(Gate gate, String id) {
    if (parkedIds.size() < MAX_PARKED && parkedIds.putIfAbsent(id, gate) == null) {
      gate.parked.add(id);
    }
  }

  private void unpark(Gate gate, int room) {
    for (Iterator<String> ids = gate.parked.iterator(); ids.hasNext() && room > 0; room--) {
      parkedIds.remove(ids.next());
      ids.remove();
    }
  }

  private record Key(String tenant, String queue) {}

  /** One queue's slots, token bucket and parked ids. */
  private static final class Gate {
    final Key key;
    final Set<String> held = ConcurrentHashMap.newKeySet();
    // Oldest first: the ones let out first are the ones read first.
    final LinkedHashSet<String> parked = new LinkedHashSet<>();
    volatile long lastUsedMs;
    private double tokens = Double.NaN;
    private long refilledAtMs;

    Gate(Key key) {
      this.key = key;
    }

    /** Takes a token if the bucket holds one. */
    boolean take(double perSecond, int burst, long nowMs) {
      refill(perSecond, burst, nowMs);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    /** How many more jobs the queue could take now: 0 while paused. */
    int room(QueueConfig config, long nowMs) {
      if (config.paused()) {
        return 0;
      }
      long room = Integer.MAX_VALUE;
      if (config.perShardConcurrency() != null) {
        room = Math.max(0, config.perShardConcurrency() - held.size());
      }
      if (config.perShardRate() != null) {
        refill(config.perShardRate(), config.perShardBurst(), nowMs);
        room = Math.min(room, (long) Math.floor(tokens));
      }
      return (int) room;
    }

    private void refill(double perSecond, int burst, long nowMs) {
      if (Double.isNaN(tokens)) {
        tokens = burst;
        refilledAtMs = nowMs;
      }
      long elapsed = Math.max(0, nowMs - refilledAtMs);
      tokens = Math.min(burst, tokens + elapsed * perSecond / 1000.0);
      refilledAtMs = Math.max(refilledAtMs, nowMs);
    }

    void refund() {
      if (!Double.isNaN(tokens)) {
        tokens += 1;
      }
    }
  }
}
