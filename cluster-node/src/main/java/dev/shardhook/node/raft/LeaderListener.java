package dev.shardhook.node.raft;

import dev.shardhook.node.delivery.AttemptKey;
import java.util.List;

/**
 * What the state machine tells the node's leader-only machinery. Called from Ratis threads: never
 * block in an implementation.
 */
public interface LeaderListener {
  /** This node leads {@code term} and has applied everything committed before it. */
  void leaderReady(long term);

  /** This node is no longer (or never was) the leader; stop starting attempts. */
  void leadershipLost();

  /**
   * Outcomes for these attempts were applied (or ignored as stale): those attempts' jobs may be
   * scanned again.
   */
  void outcomesSettled(List<AttemptKey> attempts);

  /** Jobs were added or rescheduled: the due index may have new work. */
  void dueWorkChanged();
}
