package dev.shardhook.node.raft;

import dev.shardhook.node.NodeConfig.Peer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a node's Raft server and client need (see {@link dev.shardhook.node.NodeSettings} for each
 * setting).
 *
 * @param dataDir the Raft log and snapshots go under {@code ratis/} in it
 * @param clientRetryMinSleep the client's first pause between tries while no leader is known
 * @param clientRetryMaxSleep its longest pause; the pauses double up to it
 * @param clientRetryMaxAttempts tries before a request fails
 */
public record RaftConfig(
    String nodeId,
    String shardId,
    List<Peer> peers,
    Path dataDir,
    long snapshotThreshold,
    long raftSegmentBytes,
    Duration clientRetryMinSleep,
    Duration clientRetryMaxSleep,
    int clientRetryMaxAttempts) {
  public RaftConfig {
    peers = List.copyOf(peers);
  }

  /** This node's member of the group. */
  public Peer self() {
    return peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow();
  }
}
