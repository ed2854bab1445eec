package dev.shardhook.node.queue;

import dev.shardhook.api.RetrySpec;
import dev.shardhook.node.job.JobRecord;
import java.util.Locale;
import java.util.Objects;

/**
 * One tenant's named queue as the shard stores it (README, "Queues"). The limits are queue-wide;
 * this shard enforces its share of them, {@link #perShardRate()} and {@link
 * #perShardConcurrency()}, since the proxy applies the same configuration to each of {@code shards}
 * shards.
 *
 * @param tenant the tenant that owns it
 * @param name its name, {@code [A-Za-z0-9_-]{1,64}}
 * @param retry retry defaults of its jobs (absent fields take the shard's), or null
 * @param maxConcurrency queue-wide attempts at once, or null for no limit
 * @param ratePerSecond queue-wide attempts started per second, or null for no limit
 * @param burst queue-wide token bucket size; null exactly when there is no rate
 * @param paused whether its jobs are held back
 * @param orderingOnFailure what an ordering key does after a job of it failed terminally
 * @param onDestinationDisabled what its jobs for a disabled destination do
 * @param shards how many shards share the limits (1 when a node was called directly)
 * @param updatedAtMs leader's clock when the configuration was written; 0 for the implicit default
 */
public record QueueConfig(
    String tenant,
    String name,
    RetrySpec retry,
    Integer maxConcurrency,
    Double ratePerSecond,
    Integer burst,
    boolean paused,
    OrderingOnFailure orderingOnFailure,
    OnDestinationDisabled onDestinationDisabled,
    int shards,
    long updatedAtMs) {

  /** Queues one tenant may configure on a shard. */
  public static final int MAX_PER_TENANT = 1000;

  public QueueConfig {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(name, "name");
    orderingOnFailure = orderingOnFailure == null ? OrderingOnFailure.BLOCK : orderingOnFailure;
    onDestinationDisabled =
        onDestinationDisabled == null ? OnDestinationDisabled.WAIT : onDestinationDisabled;
    shards = Math.max(1, shards);
    if (ratePerSecond == null) {
      burst = null;
    } else if (burst == null) {
      burst = (int) Math.max(1, Math.ceil(ratePerSecond));
    }
  }

  /** The {@code default} queue as it is until someone configures it: no limits, not paused. */
  public static QueueConfig implicitDefault(String tenant) {
    return new QueueConfig(
        tenant, JobRecord.DEFAULT_QUEUE, null, null, null, null, false, null, null, 1, 0);
  }

  /** This configuration, paused or not, written at {@code atMs}. */
  public QueueConfig paused(boolean paused, long atMs) {
    return new QueueConfig(
        tenant,
        name,
        retry,
        maxConcurrency,
        ratePerSecond,
        burst,
        paused,
        orderingOnFailure,
        onDestinationDisabled,
        shards,
        atMs);
  }

  /** This configuration as written at {@code atMs} (the leader stamps it). */
  public QueueConfig at(long atMs) {
    return new QueueConfig(
        tenant,
        name,
        retry,
        maxConcurrency,
        ratePerSecond,
        burst,
        paused,
        orderingOnFailure,
        onDestinationDisabled,
        shards,
        atMs);
  }

  /** This shard's share of the rate: the rate divided by the shards; null for no limit. */
  public Double perShardRate() {
    return ratePerSecond == null ? null : ratePerSecond / shards;
  }

  /** This shard's share of the bucket: at least one token. */
  public Integer perShardBurst() {
    return burst == null ? null : (int) Math.max(1, Math.ceil((double) burst / shards));
  }

  /** This shard's share of the concurrency: {@code max(1, ceil(maxConcurrency / shards))}. */
  public Integer perShardConcurrency() {
    return maxConcurrency == null
        ? null
        : (int) Math.max(1, Math.ceil((double) maxConcurrency / shards));
  }

  /** Whether the queue holds back or limits anything. */
  public boolean limits() {
    return paused || maxConcurrency != null || ratePerSecond != null;
  }

  /** What an ordering key does after one of its jobs failed terminally. */
  public enum OrderingOnFailure {
    /** The key waits until the failed job is replayed or cancelled (the default). */
    BLOCK,
    /** The key moves on to its next job. */
    SKIP;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a queue's jobs for a disabled destination do. */
  public enum OnDestinationDisabled {
    /** They wait until an admin enables the destination again (the default). */
    WAIT,
    /** They fail at once. */
    FAIL;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
