package dev.shardhook.node.raft;

import dev.shardhook.node.NodeConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code shardhook_raft_follower_lag{follower}}: on the leader, the committed entries each other
 * peer of the shard lacks; NaN on the other nodes, which do not know it.
 */
public final class FollowerLagGauges {
  private FollowerLagGauges() {}

  public static void register(MeterRegistry registry, RaftShard shard, RaftConfig config) {
    for (NodeConfig.Peer peer : config.peers()) {
      if (peer.id().equals(config.nodeId())) {
        continue;
      }
      Gauge.builder(
              "shardhook.raft.follower.lag",
              shard,
              s -> {
                var lag = s.followerLag(peer.id());
                return lag.isPresent() ? lag.getAsLong() : Double.NaN;
              })
          .description(
              "On the leader: committed Raft entries the follower lacks (leader commit index"
                  + " minus the follower's match index)")
          .tag("follower", peer.id())
          .register(registry);
    }
  }
}
