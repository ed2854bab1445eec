package dev.shardhook.node;

import java.util.Optional;

/** What {@code /ready} and {@code /status} ask of the running node. */
public interface NodeState {
  NodeStatus status();

  /** Empty when the node can serve traffic (its group has a leader), else the reason it cannot. */
  Optional<String> notReadyReason();
}
