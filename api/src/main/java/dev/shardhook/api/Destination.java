package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One destination (a receiver's {@code host:port}) as {@code GET /destinations} shows it: its
 * health and its adaptive concurrency (README, "Destinations"). A node answers for its shard's
 * leader; the proxy merges the shards' answers per host and lists each under {@code shards}.
 *
 * @param host {@code host:port}
 * @param state {@link #HEALTHY}, {@link #DEGRADED}, {@link #OPEN} or {@link #DISABLED}; through a
 *     proxy, the worst of the shards'
 * @param breaker the circuit breaker's state ({@code closed}, {@code open}, {@code half_open});
 *     null through a proxy
 * @param concurrencyLimit attempts the adaptive limit lets run at once (through a proxy, the lowest
 *     of the shards': each shard's leader adapts on its own)
 * @param maxConcurrency the most the limit may grow to
 * @param running attempts under way (summed through a proxy)
 * @param queued due jobs read and waiting for this destination (summed through a proxy)
 * @param successRate share of the recent attempts (up to the last 100) that got a 2xx; null before
 *     any (through a proxy, the lowest)
 * @param latencyMs latency percentiles of the recent attempts; null before any (through a proxy,
 *     the highest)
 * @param failingSince when the current run of failed attempts began; null while not failing
 *     (through a proxy, the earliest)
 * @param disabledAt when it was disabled; null while enabled (through a proxy, the earliest)
 * @param disabledReason why it was disabled; null while enabled
 * @param shards through a proxy: each shard's own entry by shard id; null from a node
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Destination(
    String host,
    String state,
    String breaker,
    int concurrencyLimit,
    int maxConcurrency,
    int running,
    int queued,
    Double successRate,
    Latency latencyMs,
    Instant failingSince,
    Instant disabledAt,
    String disabledReason,
    Map<String, Destination> shards) {

  /** Answering, and mostly with success. */
  public static final String HEALTHY = "healthy";

  /** Failing lately, or its breaker is trying it again (half open). */
  public static final String DEGRADED = "degraded";

  /** Its circuit breaker is open: its jobs wait, their attempts unspent. */
  public static final String OPEN = "open";

  /** Failed for longer than {@code --destination-disable-after}: not attempted until enabled. */
  public static final String DISABLED = "disabled";

  /** How bad a state is, for merging: the higher, the worse. */
  public static int severity(String state) {
    return switch (state == null ? "" : state) {
      case DISABLED -> 3;
      case OPEN -> 2;
      case DEGRADED -> 1;
      default -> 0;
    };
  }

  /**
   * Latency percentiles in milliseconds.
   *
   * @param p50 the median
   * @param p95 the 95th percentile
   */
  public record Latency(long p50, long p95) {}
}
