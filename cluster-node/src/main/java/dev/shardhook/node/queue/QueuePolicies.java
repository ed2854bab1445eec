package dev.shardhook.node.queue;

import dev.shardhook.api.RetrySpec;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.store.JobStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queue configurations this node's store holds, cached until the store says one changed
 * (README, "Queues"). What the submit path, the dispatcher and the ordering and destination rules
 * read: {@link #of(String, String)}. The {@code default} queue always exists.
 */
public final class QueuePolicies {
  static final int MAX_CACHED = 10_000;

  private final JobStore store;
  // Each entry remembers the store's queue generation it was read at and serves only that one, so
  // a read racing a change can never outlive it (apply may read these: it must see the store).
  private final ConcurrentHashMap<Key, Cached> cache = new ConcurrentHashMap<>();
  private volatile QueueMetrics metrics;
  private volatile Runnable catchUp;

  public QueuePolicies(JobStore store) {
    this.store = store;
  }

  /**
   * How {@link #ofCaughtUp} waits until this node has applied everything committed (a ReadIndex on
   * a follower); it throws when the shard cannot say.
   */
  public void catchUpWith(Runnable catchUp) {
    this.catchUp = catchUp;
  }

  /**
   * As {@link #of(String, String)}, but a queue this node does not know yet is looked up again once
   * it has caught up with the log: a queue created a moment ago on the leader is found.
   */
  public Optional<QueueConfig> ofCaughtUp(String tenant, String queue) {
    Optional<QueueConfig> found = of(tenant, queue);
    Runnable wait = catchUp;
    if (found.isPresent() || wait == null) {
      return found;
    }
    wait.run();
    return of(tenant, queue);
  }

  /** Gives each queue looked up its metric series (bounded there). */
  public void reportTo(QueueMetrics metrics) {
    this.metrics = metrics;
  }

  /** A tenant's queue: its configuration, the implicit one for {@code default}, else empty. */
  public Optional<QueueConfig> of(String tenant, String queue) {
    long generation = store.queueGeneration();
    Key key = new Key(tenant, queue);
    Cached cached = cache.get(key);
    if (cached != null && cached.generation() == generation) {
      return cached.config();
    }
    Optional<QueueConfig> loaded = load(key);
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(key, new Cached(generation, loaded));
    return loaded;
  }

  /** The queue of a stored job (scoped id): never empty for a job's own queue once it is gone. */
  public QueueConfig ofJob(JobRecord job) {
    String tenant = TenantIds.tenantOf(job.id());
    return of(tenant, job.queue()).orElseGet(() -> QueueConfig.implicitDefault(tenant));
  }

  /** What an ordering key of {@code queue} does after a terminal failure. */
  public QueueConfig.OrderingOnFailure orderingOnFailure(String tenant, String queue) {
    return of(tenant, queue)
        .map(QueueConfig::orderingOnFailure)
        .orElse(QueueConfig.OrderingOnFailure.BLOCK);
  }

  /** What the jobs of {@code queue} do while their destination is disabled. */
  public QueueConfig.OnDestinationDisabled onDestinationDisabled(String tenant, String queue) {
    return of(tenant, queue)
        .map(QueueConfig::onDestinationDisabled)
        .orElse(QueueConfig.OnDestinationDisabled.WAIT);
  }

  /** The queue's retry defaults, or null. */
  public RetrySpec retry(String tenant, String queue) {
    return of(tenant, queue).map(QueueConfig::retry).orElse(null);
  }

  private Optional<QueueConfig> load(Key key) {
    Optional<QueueConfig> stored = store.queue(key.tenant(), key.queue());
    if (stored.isEmpty() && key.queue().equals(JobRecord.DEFAULT_QUEUE)) {
      stored = Optional.of(QueueConfig.implicitDefault(key.tenant()));
    }
    QueueMetrics m = metrics;
    if (m != null && stored.isPresent()) {
      m.track(key.tenant(), key.queue());
    }
    return stored;
  }

  private record Key(String tenant, String queue) {}

  private record Cached(long generation, Optional<QueueConfig> config) {}
}
