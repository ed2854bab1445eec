package dev.shardhook.proxy.routing;

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
