package dev.shardhook.node.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The shard's ordering keys (README, "Ordering"), from the counts apply keeps in the store, so
 * every node of the shard reports the same figures.
 */
public final class OrderingGauges {
  private OrderingGauges() {}

  public static void register(MeterRegistry registry, JobStore store) {
    Gauge.builder("shardhook.ordering.keys.active", store, JobStore::orderingKeysActive)
        .description("Ordering keys with a job not yet finished (or a failed head that blocks)")
        .register(registry);
    Gauge.builder("shardhook.ordering.waiting.jobs", store, JobStore::orderingWaitingJobs)
        .description("Pending jobs waiting behind an earlier job of their ordering key")
        .register(registry);
    Gauge.builder("shardhook.ordering.blocked.keys", store, JobStore::orderingBlockedKeys)
        .description("Ordering keys blocked by a failed head until it is replayed or cancelled")
        .register(registry);
  }
}
