package dev.shardhook.node.delivery;

import dev.shardhook.api.Destination;
import dev.shardhook.node.job.DisabledDestination;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every destination the leader knows, by host, across its scan loops and terms, and the replicated
 * disabled ones: it disables a destination that has failed for {@link
 * DestinationPolicy#disableAfter()} and notices the ones an admin enabled again (README,
 * "Destinations"). The scan loop calls {@link #refresh}; {@code GET /destinations} calls {@link
 * #list} from any thread.
 */
final class DestinationStates {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationStates.class);

  // A destination unused this long, with nothing running or failing, is forgotten.
  static final long FORGET_AFTER_MS = 3_600_000;
  // A disabling proposal that did not apply is made again after this long.
  static final long PROPOSE_AGAIN_MS = 5_000;

  private final DestinationPolicy policy;
  private final CircuitBreakerConfig breakerConfig;
  private final int maxConcurrency;
  private final Map<String, DestinationHealth> hosts = new ConcurrentHashMap<>();
  private final Map<String, Long> proposedAtMs = new ConcurrentHashMap<>();
  private volatile Map<String, DisabledDestination> disabled = Map.of();

  DestinationStates(
      DestinationPolicy policy, CircuitBreakerConfig breakerConfig, int maxConcurrency) {
    this.policy = policy;
    this.breakerConfig = breakerConfig;
    this.maxConcurrency = maxConcurrency;
  }

  /** The destination's health, created at first sight. */
  DestinationHealth health(String host, long nowMs) {
    return hosts.computeIfAbsent(
        host,
        h -> new DestinationHealth(h, CircuitBreaker.of(h, breakerConfig), maxConcurrency, nowMs));
  }

  /** The disabled destinations as last read. */
  Map<String, DisabledDestination> disabled() {
    return disabled;
  }

  /**
   * Reads the replicated disabled destinations; clears the failure clock and breaker of those
   * enabled since the last read (else they would be disabled again at once); proposes disabling
   * those failing for too long; forgets idle ones.
   */
  void refresh(long nowMs) {
    Map<String, DisabledDestination> before = disabled;
    Map<String, DisabledDestination> now = Map.copyOf(policy.disabled().current());
    disabled = now;
    for (String host : before.keySet()) {
      DestinationHealth health = hosts.get(host);
      if (!now.containsKey(host) && health != null) {
        health.enabled();
        LOG.info("destination {} enabled again", host);
      }
    }
    long after = policy.disableAfter().toMillis();
    for (DestinationHealth health : hosts.values()) {
      String host = health.host();
      long since = health.failingSinceMs();
      if (now.containsKey(host)) {
        proposedAtMs.remove(host);
        continue;
      }
      if (since >= 0 && nowMs - since >= after) {
        Long proposed = proposedAtMs.get(host);
        if (proposed == null || nowMs - proposed >= PROPOSE_AGAIN_MS) {
          proposedAtMs.put(host, nowMs);
          String reason = "failing since " + Instant.ofEpochMilli(since);
          LOG.warn("destination {} has been {}; disabling it", host, reason);
          policy.disabled().disable(host, reason);
        }
      } else if (since < 0
          && health.running().get() <= 0
          && nowMs - health.lastUsedMs() > FORGET_AFTER_MS
          && health.breaker().getState() == CircuitBreaker.State.CLOSED) {
        hosts.remove(host, health);
        proposedAtMs.remove(host);
      }
    }
  }

  /**
   * The destinations {@code tenant} may see (all when {@code everyTenant}), with the disabled ones
   * never attempted on this leader too, sorted by host.
   */
  List<Destination> list(String tenant, boolean everyTenant, long nowMs) {
    Map<String, DisabledDestination> off = disabled;
    Set<String> names = new TreeSet<>(hosts.keySet());
    if (everyTenant) {
      names.addAll(off.keySet());
    }
    List<Destination> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String host : names) {
      DisabledDestination d = off.get(host);
      DestinationHealth health = hosts.get(host);
      if (health == null) {
        health =
            new DestinationHealth(host, CircuitBreaker.of(host, breakerConfig), maxConcurrency, 0);
      } else if (!health.targetedBy(tenant, everyTenant)) {
        continue;
      }
      if (seen.add(host)) {
        out.add(health.snapshot(d == null ? null : d.atMs(), d == null ? null : d.reason()));
      }
    }
    return out;
  }

  /** How many destinations have an open breaker now. */
  int open() {
    int n = 0;
    for (DestinationHealth h : hosts.values()) {
      CircuitBreaker.State s = h.breaker().getState();
      n += s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN ? 1 : 0;
    }
    return n;
  }

  int known() {
    return hosts.size();
  }
}
