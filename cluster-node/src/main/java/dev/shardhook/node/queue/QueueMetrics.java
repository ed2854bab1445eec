package dev.shardhook.node.queue;

import dev.shardhook.node.store.JobStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntBiFunction;

/**
 * Per-queue series (README, "Queues"): {@code shardhook_queue_depth}, {@code
 * shardhook_queue_running}, {@code shardhook_queue_delivered_total} and {@code
 * shardhook_queue_failed_total}, labelled {@code tenant} and {@code queue}. The labels are bounded:
 * only the first {@link #MAX_SERIES} queues a node looks up get series; the rest are counted in
 * {@code shardhook_queue_untracked}.
 */
public final class QueueMetrics {
  public static final int MAX_SERIES = 100;

  private final MeterRegistry registry;
  private final JobStore store;
  private final ToIntBiFunction<String, String> running;
  private final Set<List<String>> tracked = ConcurrentHashMap.newKeySet();
  private final Set<List<String>> untracked = ConcurrentHashMap.newKeySet();

  public QueueMetrics(
      MeterRegistry registry, JobStore store, ToIntBiFunction<String, String> running) {
    this.registry = registry;
    this.store = store;
    this.running = running;
    Gauge.builder("shardhook.queue.untracked", untracked, Set::size)
        .description("Queues seen beyond the per-queue series cap")
        .register(registry);
  }

  /** Gives the queue its series, unless the cap is reached. */
  public void track(String tenant, String queue) {
    List<String> key = List.of(tenant, queue);
    if (tracked.contains(key) || untracked.contains(key)) {
      return;
    }
    if (tracked.size() >= MAX_SERIES) {
      if (untracked.size() < 10 * MAX_SERIES) {
        untracked.add(key);
      }
      return;
    }
    if (!tracked.add(key)) {
      return;
    }
    Tags tags = Tags.of("tenant", tenant, "queue", queue);
    Gauge.builder("shardhook.queue.depth", store, s -> s.queueCounts(tenant, queue).depth())
        .description("Pending jobs of the queue on this shard")
        .tags(tags)
        .register(registry);
    Gauge.builder("shardhook.queue.running", () -> running.applyAsInt(tenant, queue))
        .description("Jobs of the queue queued for delivery or running on this node (leader)")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder(
            "shardhook.queue.delivered", store, s -> s.queueCounts(tenant, queue).delivered())
        .description("Jobs of the queue that succeeded on this shard")
        .tags(tags)
        .register(registry);
    FunctionCounter.builder(
            "shardhook.queue.failed", store, s -> s.queueCounts(tenant, queue).failed())
        .description("Jobs of the queue that failed terminally on this shard")
        .tags(tags)
        .register(registry);
  }
}
