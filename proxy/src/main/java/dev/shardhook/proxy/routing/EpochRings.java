package dev.shardhook.proxy.routing;

import dev.shardhook.api.routing.OrderingKeyRouting;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.api.routing.ShardRing;
import java.util.ArrayList;
import java.util.List;

/**
 * The rings of every epoch of a {@link ShardMap}, newest first (docs/architecture.md §4). New jobs
 * go where the newest ring puts them; a job placed under an older epoch stays on its shard, so
 * finding one means asking the shard each ring names, newest first.
 */
public final class EpochRings {
  private final List<ShardRing> newestFirst;

  public EpochRings(ShardMap map) {
    List<ShardRing> rings = new ArrayList<>();
    for (ShardMap.Epoch epoch : map.epochs().reversed()) {
      rings.add(ShardRing.of(epoch.shards()));
    }
    this.newestFirst = List.copyOf(rings);
  }

  /** The shard a new job with this id goes to. */
  public String newestShardFor(String jobId) {
    return newestFirst.get(0).shardFor(jobId);
  }

  /**
   * The shard a tenant's ordering key goes to: every job of the key, whatever its id, goes there
   * (README, "Ordering"). Only the newest ring counts: a key the newest epoch moves takes its new
   * jobs to the new shard, while jobs in flight on the old one finish there, so order may break for
   * a key during a resharding.
   */
  public String newestShardForKey(String tenant, String orderingKey) {
    return OrderingKeyRouting.shardFor(newestFirst.get(0), tenant, orderingKey);
  }

  /** Every shard of the newest ring. */
  public List<String> newestShards() {
    return newestFirst.get(0).shards();
  }

  /**
   * The shards that may hold this id, in the order to ask them: the newest ring's shard first, then
   * those of older epochs, each shard once.
   */
  public List<String> homes(String jobId) {
    List<String> homes = new ArrayList<>(2);
    for (ShardRing ring : newestFirst) {
      String shard = ring.shardFor(jobId);
      if (!homes.contains(shard)) {
        homes.add(shard);
      }
    }
    return homes;
  }
}
