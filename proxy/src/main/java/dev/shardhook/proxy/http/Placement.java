package dev.shardhook.proxy.http;

import dev.shardhook.proxy.routing.EpochRings;
import dev.shardhook.proxy.routing.JobHomes;
import dev.shardhook.proxy.routing.RoutingIds;
import dev.shardhook.proxy.upstream.Credentials;
import dev.shardhook.proxy.upstream.Upstreams;
import java.util.Set;

/** The shard a submitted job goes to, as single and batch submissions choose it. */
record Placement(RoutingIds ids, JobHomes homes, EpochRings rings, Upstreams upstreams) {

  /**
   * A generated id for a job without id or key, placed on an available shard not in {@code avoid}.
   */
  String freshId(Set<String> avoid) {
    return ids.generate(s -> !avoid.contains(s) && upstreams.shard(s).available());
  }

  /** The shard of a tenant's ordering key: every job of the key goes there (README, "Ordering"). */
  String keyShard(String tenant, String orderingKey) {
    return rings.newestShardForKey(tenant, orderingKey);
  }

  /** A fresh id the newest ring places on {@code shard}, for an ordered job without id or key. */
  String idOn(String shard) {
    return ids.generateOn(shard);
  }

  /** The shard the newest ring epoch places {@code id} on. */
  String newestShard(String id) {
    return rings.newestShardFor(id);
  }

  /** Whether the shard of {@code id} changed across epochs, so older shards must be asked. */
  boolean needsProbe(String id) {
    return homes.needsProbe(id);
  }

  /** The shard a job with a known id is submitted to: where it already lives, or the newest. */
  String submitTarget(String id, Credentials credentials) {
    return homes.submitTarget(id, credentials);
  }
}
