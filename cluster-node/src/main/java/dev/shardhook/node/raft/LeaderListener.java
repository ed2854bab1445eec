package dev.shardhook.node.raft;

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

  /** Outcomes for these jobs were applied: they may be scanned again. */
  void outcomesSettled(List<String> jobIds);

  /** Jobs were added or rescheduled: the due index may have new work. */
  void dueWorkChanged();
}
