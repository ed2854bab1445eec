package dev.shardhook.node.job;

/**
 * A destination ({@code host:port}) the shard no longer attempts, replicated through Raft so that
 * it stays disabled across leader changes and restarts (README, "Destinations").
 *
 * @param host {@code host:port}
 * @param atMs the leader's clock when the disabling entry was admitted
 * @param reason why, for operators
 */
public record DisabledDestination(String host, long atMs, String reason) {}
