package dev.shardhook.node;

import java.util.List;

/**
 * The node's {@code GET /status} document.
 *
 * @param nodeId this node
 * @param shardId its shard
 * @param role LEADER, FOLLOWER, CANDIDATE, LISTENER or UNKNOWN
 * @param leaderId the leader this node knows of, or null during an election
 * @param term current Raft term
 * @param commitIndex last committed log index
 * @param pending jobs waiting for an attempt
 * @param stored jobs of any status in this node's store (finished ones until their retention ends)
 * @param running attempts in flight on this node
 * @param leaderReady whether this node is the leader and has applied its term's first entry
 * @param appliedIndex last log index this node's state machine applied
 * @param lag on a follower: how many entries the leader committed (as its heartbeats report) that
 *     this node has not applied yet; 0 on the leader and when not known
 * @param stalled on a follower: true while {@code lag} is positive and this node's applied index
 *     has not moved for {@link dev.shardhook.node.raft.ReplicaLag#STALL_AFTER} or longer
 * @param followers on the leader: each follower's replication progress; empty elsewhere
 * @param inFlight attempts started on this node whose outcomes are not committed yet ({@code
 *     running} ones included): what a new leader may run again if this one is lost now
 */
public record NodeStatus(
    String nodeId,
    String shardId,
    String role,
    String leaderId,
    long term,
    long commitIndex,
    long pending,
    long stored,
    int running,
    boolean leaderReady,
    long appliedIndex,
    long lag,
    boolean stalled,
    List<Follower> followers,
    int inFlight) {

  public NodeStatus {
    followers = followers == null ? List.of() : List.copyOf(followers);
  }

  /**
   * One follower as the leader sees it.
   *
   * @param id the follower's node id
   * @param matchIndex the last log index the leader knows the follower holds (-1: none yet)
   * @param commitIndex the follower's commit index as it last reported it (-1: not yet)
   * @param lag the leader's commit index minus {@code matchIndex}: entries the follower lacks
   * @param lastContactMs milliseconds since the follower last answered the leader
   */
  public record Follower(
      String id, long matchIndex, long commitIndex, long lag, long lastContactMs) {}
}
