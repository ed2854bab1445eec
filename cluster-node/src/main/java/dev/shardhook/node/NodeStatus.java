package dev.shardhook.node;

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
    boolean leaderReady) {}
