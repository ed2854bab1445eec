package dev.shardhook.api.routing;

import java.util.Objects;

/**
 * Where an ordered job goes: its tenant's ordering key, not its id, picks the shard, so every job
 * of one key lands on one shard and is delivered in that shard's log order (README, "Ordering").
 * Part of the routing contract every proxy, node and SDK shares, like {@link ShardRing} itself.
 */
public final class OrderingKeyRouting {
  private OrderingKeyRouting() {}

  /**
   * The string hashed on the ring for a tenant's key: a prefix no job id can have (ids never hold a
   * NUL), the tenant (empty for the default one, as in {@link JobIds#fromIdempotencyKey}) and the
   * key.
   */
  public static String ringInput(String tenant, String orderingKey) {
    Objects.requireNonNull(orderingKey, "orderingKey");
    String part = tenant == null || tenant.equals(JobIds.DEFAULT_TENANT) ? "" : tenant;
    return "ordering\u0000" + part + "\u0000" + orderingKey;
  }

  /** The shard of {@code ring} that holds the jobs of this tenant's key. */
  public static String shardFor(ShardRing ring, String tenant, String orderingKey) {
    return ring.shardFor(ringInput(tenant, orderingKey));
  }
}
