package dev.shardhook.node;

import java.util.Optional;

/** What {@code /ready} and {@code /status} ask of the running node. */
public interface NodeState {
  NodeStatus status();

  /** Empty when the node can serve traffic (its group has a leader), else the reason it cannot. */
  Optional<String> notReadyReason();

  /**
   * Empty while the node works, else why it cannot recover by itself (its Raft server or state
   * machine stopped): {@code /health} fails so that an orchestrator restarts the process.
   */
  default Optional<String> downReason() {
    return Optional.empty();
  }

  /** Destination health and enabling (README, "Destinations"); empty where the node has none. */
  default Optional<NodeDestinations> destinations() {
    return Optional.empty();
  }
}
