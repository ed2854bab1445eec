package dev.shardhook.node.delivery;

import dev.shardhook.node.job.DisabledDestination;
import java.util.Map;

/** The destinations the shard has disabled, as replicated through Raft, and how to disable one. */
public interface DisabledDestinations {
  /** Never disables anything (tests, and nodes that do not deliver). */
  DisabledDestinations NONE =
      new DisabledDestinations() {
        @Override
        public Map<String, DisabledDestination> current() {
          return Map.of();
        }

        @Override
        public void disable(String host, String reason) {}
      };

  /** Those disabled now, as applied on this node, by host. */
  Map<String, DisabledDestination> current();

  /**
   * Proposes disabling {@code host}; returns at once. A proposal that fails is made again by the
   * next check while the destination still fails.
   */
  void disable(String host, String reason);
}
