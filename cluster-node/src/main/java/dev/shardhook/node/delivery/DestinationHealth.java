package dev.shardhook.node.delivery;

import dev.shardhook.api.Destination;
import dev.shardhook.node.job.AttemptOutcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the leader knows of one destination (host and port) across its scan loops: the circuit
 * breaker, the adaptive concurrency limit, attempts running, the last {@link #WINDOW} attempts
 * (success rate, latency percentiles), since when it has been failing without a success in between,
 * and which tenants' jobs target it (at most {@link #MAX_TENANTS}). Thread-safe: attempts finish on
 * their own threads and {@code GET /destinations} reads on HTTP threads.
 *
 * <p>The failing-since clock is the leader's memory: a new leader starts it again at the first
 * failure it sees (README, "Destinations").
 */
final class DestinationHealth {
  static final int WINDOW = 100;
  static final int MAX_TENANTS = 256;
  // Below this share of 2xx answers among the recent attempts a destination shows as degraded.
  static final double DEGRADED_BELOW = 0.9;

  private final String host;
  private final CircuitBreaker breaker;
  private final AdaptiveLimit limit;
  private final AtomicInteger running = new AtomicInteger();
  private final Set<String> tenants = ConcurrentHashMap.newKeySet();
  private final long[] latencies = new long[WINDOW];
  private final boolean[] successes = new boolean[WINDOW];
  private int recorded;
  private int nextSlot;
  private long failingSinceMs = -1;
  private volatile int queued;
  private volatile long lastUsedMs;

  DestinationHealth(String host, CircuitBreaker breaker, int maxConcurrency, long nowMs) {
    this.host = host;
    this.breaker = breaker;
    this.limit = new AdaptiveLimit(maxConcurrency);
    this.lastUsedMs = nowMs;
  }

  String host() {
    return host;
  }

  CircuitBreaker breaker() {
    return breaker;
  }

  AdaptiveLimit limit() {
    return limit;
  }

  AtomicInteger running() {
    return running;
  }

  void queued(int count) {
    queued = count;
  }

  void used(long nowMs) {
    lastUsedMs = nowMs;
  }

  long lastUsedMs() {
    return lastUsedMs;
  }

  /** Remembers that {@code tenant} has jobs for this destination (up to {@link #MAX_TENANTS}). */
  void targetedBy(String tenant) {
    if (tenants.size() < MAX_TENANTS || tenants.contains(tenant)) {
      tenants.add(tenant);
    }
  }

  boolean targetedBy(String tenant, boolean orAny) {
    return orAny || tenants.contains(tenant);
  }

  /**
   * Records an attempt's outcome in the breaker, the limit and the window; true if it lowered the
   * limit.
   *
   * @param nowMs when the outcome arrived
   */
  boolean record(AttemptOutcome outcome, long nowMs) {
    lastUsedMs = nowMs;
    Integer status = outcome.statusCode();
    if (outcome.permanent()) {
      // a refused target or malformed request says nothing about the host's health
      breaker.releasePermission();
      return false;
    }
    // A 429 is the receiver shedding load, not failing: the adaptive limit answers it. Counted
    // by the breaker, a burst of them (a limit finding its level) would stop the destination.
    boolean success = status != null && status < 500;
    if (success) {
      breaker.onSuccess(outcome.durationMs(), TimeUnit.MILLISECONDS);
    } else {
      breaker.onError(outcome.durationMs(), TimeUnit.MILLISECONDS, ReceiverFailure.INSTANCE);
    }
    long startedMs = outcome.startedAt().toEpochMilli();
    boolean decreased = false;
    if (status == null || status == 429 || status == 503) {
      decreased = limit.onOverload(startedMs, nowMs);
    } else if (status >= 200 && status <= 299) {
      limit.onSuccess(outcome.durationMs());
    }
    synchronized (this) {
      latencies[nextSlot] = outcome.durationMs();
      successes[nextSlot] = status != null && status >= 200 && status <= 299;
      nextSlot = (nextSlot + 1) % WINDOW;
      recorded = Math.min(WINDOW, recorded + 1);
      if (success) {
        failingSinceMs = -1;
      } else if (failingSinceMs < 0) {
        failingSinceMs = startedMs;
      }
    }
    return decreased;
  }

  /** An admin enabled it again: its failure clock starts over and its breaker closes. */
  void enabled() {
    synchronized (this) {
      failingSinceMs = -1;
    }
    breaker.reset();
  }

  /** Since when every attempt failed (no success in between); -1 while not failing. */
  synchronized long failingSinceMs() {
    return failingSinceMs;
  }

  /** What {@code GET /destinations} shows, with {@code disabledAtMs} from the replicated state. */
  Destination snapshot(Long disabledAtMs, String disabledReason) {
    long[] window;
    int ok = 0;
    int count;
    long failingSince;
    synchronized (this) {
      count = recorded;
      window = Arrays.copyOf(latencies, count);
      for (int i = 0; i < count; i++) {
        ok += successes[i] ? 1 : 0;
      }
      failingSince = failingSinceMs;
    }
    Arrays.sort(window);
    CircuitBreaker.State breakerState = breaker.getState();
    Double rate = count == 0 ? null : (double) ok / count;
    String state;
    if (disabledAtMs != null) {
      state = Destination.DISABLED;
    } else if (breakerState == CircuitBreaker.State.OPEN
        || breakerState == CircuitBreaker.State.FORCED_OPEN) {
      state = Destination.OPEN;
    } else if (breakerState == CircuitBreaker.State.HALF_OPEN
        || failingSince >= 0
        || (rate != null && rate < DEGRADED_BELOW)) {
      state = Destination.DEGRADED;
    } else {
      state = Destination.HEALTHY;
    }
    return new Destination(
        host,
        state,
        breakerState.name().toLowerCase(Locale.ROOT),
        limit.current(),
        limit.max(),
        Math.max(0, running.get()),
        queued,
        rate,
        count == 0 ? null : new Destination.Latency(percentile(window, 50), percentile(window, 95)),
        failingSince < 0 ? null : Instant.ofEpochMilli(failingSince),
        disabledAtMs == null ? null : Instant.ofEpochMilli(disabledAtMs),
        disabledReason,
        null);
  }

  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** What a circuit breaker counts as a failed call; outcomes carry the details. */
  private static final class ReceiverFailure extends Exception {
    static final ReceiverFailure INSTANCE = new ReceiverFailure();

    private ReceiverFailure() {
      super("receiver failed", null, false, false);
    }
  }
}
