package dev.shardhook.node.http;

import dev.shardhook.api.problem.QuotaExceededException;
import dev.shardhook.support.auth.Quotas;
import dev.shardhook.support.auth.Tenant;
import dev.shardhook.support.auth.Tenants;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * A tenant's quotas on this shard (README, "Security"): pending jobs as the store counts them, and
 * a submit rate as a token bucket of the node that takes the request (the shard's leader, when a
 * proxy sends it). Checked before a submission is proposed, so jobs already in the log but not yet
 * applied are not counted: the pending limit may be passed by at most one group-commit window.
 */
final class TenantQuotas {
  static final Duration PENDING_RETRY_AFTER = Duration.ofSeconds(1);

  private final Supplier<Tenants> tenants;
  private final ToLongFunction<String> pendingOf;
  private final String shardId;
  private final LongSupplier nanoTime;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  TenantQuotas(
      Supplier<Tenants> tenants,
      ToLongFunction<String> pendingOf,
      String shardId,
      LongSupplier nanoTime) {
    this.tenants = tenants;
    this.pendingOf = pendingOf;
    this.shardId = shardId;
    this.nanoTime = nanoTime;
  }

  /**
   * Takes {@code jobs} new jobs of {@code tenant} against its quotas.
   *
   * @throws QuotaExceededException with the limit in its detail, and when to come back
   */
  void admit(String tenant, int jobs) {
    Quotas q = tenants.get().tenant(tenant).map(Tenant::quotas).orElse(Quotas.NONE);
    if (q.maxPendingPerShard() > 0) {
      long pending = pendingOf.applyAsLong(tenant);
      if (pending + jobs > q.maxPendingPerShard()) {
        throw new QuotaExceededException(
            "tenant '"
                + tenant
                + "' holds "
                + pending
                + " pending jobs on "
                + shardId
                + "; its quota is maxPendingPerShard="
                + q.maxPendingPerShard(),
            PENDING_RETRY_AFTER);
      }
    }
    if (q.submitRatePerSecond() > 0) {
      Duration wait =
          buckets
              .computeIfAbsent(tenant, t -> new TokenBucket())
              .take(jobs, q.submitRatePerSecond(), q.burst(), nanoTime.getAsLong());
      if (!wait.isZero()) {
        throw new QuotaExceededException(
            "tenant '"
                + tenant
                + "' submits over its quota of submitRatePerSecond="
                + q.submitRatePerSecond()
                + " (burst "
                + q.burst()
                + ") on this shard"
                + (jobs > q.burst()
                    ? "; a batch of " + jobs + " jobs is larger than the burst"
                    : ""),
            wait);
      }
    }
  }
}
