package dev.shardhook.node.delivery;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import okhttp3.HttpUrl;

/**
 * The due jobs one scan loop holds, queued per destination and handed out round-robin, so a
 * destination that cannot take attempts (hanging, failing, at its bulkhead) never holds up the
 * others. Owned by the scan loop's thread.
 *
 * <p>Memory stays bounded: at most {@code limits.queued()} jobs in all, at most {@code
 * limits.overflow()} ids remembered as read while their destination's queue was full, and gates of
 * idle destinations are forgotten.
 */
final class Destinations {
  static final long ANSWERED_WITHIN_MS = 1000;

  private final Limits limits;
  private final DestinationStates states;
  private final Predicate<JobRecord> failsWhileDisabled;
  private final LinkedHashMap<String, DestinationGate> gates = new LinkedHashMap<>();
  private final Set<String> queuedIds = new HashSet<>();
  private final Map<String, DestinationGate> overflowIds = new HashMap<>();
  private List<DestinationGate> turn = List.of();
  private int next;

  /**
   * What the destinations may hold.
   *
   * @param runningPerHost the most attempts in flight per destination (its limit's maximum)
   * @param queuedPerHost due jobs queued per destination
   * @param queued due jobs queued in all
   * @param overflow ids remembered as read while their destination's queue was full
   */
  record Limits(int runningPerHost, int queuedPerHost, int queued, int overflow) {}

  /** Destinations of their own, never disabled, each limited to {@code limits.runningPerHost()}. */
  Destinations(Limits limits, CircuitBreakerConfig breakerConfig) {
    this(
        limits,
        new DestinationStates(DestinationPolicy.never(), breakerConfig, limits.runningPerHost()),
        job -> false);
  }

  /**
   * @param states the leader's destinations, which outlive this scan loop
   * @param failsWhileDisabled whether a job of a disabled destination fails rather than waits
   */
  Destinations(Limits limits, DestinationStates states, Predicate<JobRecord> failsWhileDisabled) {
    this.limits = limits;
    this.states = states;
    this.failsWhileDisabled = failsWhileDisabled;
  }

  /** Marks the gates of the disabled destinations (and only those) disabled. */
  void disabled(Map<String, ?> hosts) {
    for (DestinationGate gate : gates.values()) {
      gate.disabled(hosts.containsKey(gate.host()));
    }
  }

  /** Whether the scan should leave {@code jobId} out: already queued, or remembered as overflow. */
  boolean holds(String jobId) {
    return queuedIds.contains(jobId) || overflowIds.containsKey(jobId);
  }

  int queued() {
    return queuedIds.size();
  }

  int room() {
    return Math.max(0, limits.queued() - queuedIds.size());
  }

  int size() {
    return gates.size();
  }

  /** Queues {@code job} behind its destination; false if that queue was full. */
  boolean offer(JobRecord job, long nowMs) {
    DestinationGate gate = gate(hostOf(job), nowMs);
    gate.health().targetedBy(TenantIds.tenantOf(job.id()));
    if (gate.offer(job, nowMs)) {
      queuedIds.add(job.id());
      return true;
    }
    remember(gate, job.id());
    return false;
  }

  /**
   * The next job that may start, taking destinations in turn, with its gate's bulkhead slot and
   * breaker permission taken; null when no destination can start one now.
   *
   * <p>Attempts against a receiver that never answers hold their worker until they time out, so a
   * destination that has not answered within {@link #ANSWERED_WITHIN_MS} may take the last quarter
   * of the workers only while it runs fewer than an even share: one dead destination (or a few) can
   * then never hold every worker, and a destination that shows up meanwhile finds one free. A
   * destination that keeps answering may use them all.
   *
   * @param freeWorkers workers free besides the one taken for this job
   * @param workers all workers
   */
  Admitted admit(long nowMs, long parkMs, int freeWorkers, int workers) {
    if (next >= turn.size()) {
      turn = new ArrayList<>(gates.values());
      next = 0;
    }
    int share = Integer.MAX_VALUE;
    if (freeWorkers < workers / 4) {
      int active = 0;
      for (DestinationGate gate : turn) {
        if (gate.queued() > 0 || gate.running() > 0) {
          active++;
        }
      }
      share = Math.max(1, workers / (active + 1));
    }
    for (int tried = 0; tried < turn.size(); tried++) {
      DestinationGate gate = turn.get(next);
      next = (next + 1) % turn.size();
      if (gate.running() >= share && !gate.answeredSince(nowMs - ANSWERED_WITHIN_MS)) {
        continue;
      }
      JobRecord job = gate.admit(nowMs, parkMs);
      if (job != null) {
        queuedIds.remove(job.id());
        return new Admitted(job, gate, false);
      }
      job = gate.admitRefused(failsWhileDisabled);
      if (job != null) {
        queuedIds.remove(job.id());
        return new Admitted(job, gate, true);
      }
    }
    return null;
  }

  /**
   * Housekeeping between scans: destinations whose queue has room again get their overflow ids
   * forgotten (so the next pass reads those jobs again); when every queued slot is taken, queues of
   * destinations that cannot start anything give their room back; idle gates are forgotten.
   */
  void tidy(long nowMs, long forgetIdleBeforeMs) {
    boolean full = room() == 0;
    for (Iterator<DestinationGate> it = gates.values().iterator(); it.hasNext(); ) {
      DestinationGate gate = it.next();
      if (full && gate.queued() > 0 && !gate.canTakeMore(nowMs)) {
        for (JobRecord job : gate.drain()) {
          queuedIds.remove(job.id());
          remember(gate, job.id());
        }
      } else if (!gate.overflow().isEmpty()
          && gate.canTakeMore(nowMs)
          && gate.queued() * 2 < gate.maxQueued()) {
        // Only as many as the queue takes: the rest would be read, decoded and dropped again.
        int release = gate.maxQueued() - gate.queued();
        for (Iterator<String> ids = gate.overflow().iterator(); ids.hasNext() && release > 0; ) {
          overflowIds.remove(ids.next());
          ids.remove();
          release--;
        }
      }
      if (gate.idleSince(forgetIdleBeforeMs)) {
        it.remove();
        turn = List.of();
      }
    }
  }

  private void remember(DestinationGate gate, String jobId) {
    if (overflowIds.size() < limits.overflow()) {
      overflowIds.put(jobId, gate);
      gate.overflow().add(jobId);
    }
  }

  /** Drops every queued job and remembered id (the loop ends). */
  void clear() {
    gates.values().forEach(DestinationGate::drain);
    gates.values().forEach(g -> g.overflow().clear());
    queuedIds.clear();
    overflowIds.clear();
  }

  private DestinationGate gate(String host, long nowMs) {
    DestinationGate gate = gates.get(host);
    if (gate == null) {
      gate = new DestinationGate(states.health(host, nowMs), limits.queuedPerHost(), nowMs);
      gate.disabled(states.disabled().containsKey(host));
      gates.put(host, gate);
      turn = List.of();
    }
    return gate;
  }

  /** A destination is a host and port: two receivers on one address are still two servers. */
  static String hostOf(JobRecord job) {
    HttpUrl url = job.url() == null ? null : HttpUrl.parse(job.url());
    // Unparseable URLs fail permanently in delivery; they share one key meanwhile.
    return url == null ? "" : url.host() + ":" + url.port();
  }

  /**
   * A job cleared to start, and the gate it took its slot from.
   *
   * @param refused its destination is disabled and the job is to fail without an attempt
   */
  record Admitted(JobRecord job, DestinationGate gate, boolean refused) {
    /** Gives back what admitting took, for a job that did not start after all. */
    void release() {
      if (refused) {
        gate.releaseRefused();
      } else {
        gate.release();
      }
    }
  }
}
