package dev.shardhook.node.raft;

import dev.shardhook.node.delivery.AttemptKey;
import java.util.List;

/** A leader listener with no leader work: for tests that run the state machine without a node. */
class NoLeaderWork implements LeaderListener {
  @Override
  public void leaderReady(long term) {}

  @Override
  public void leadershipLost() {}

  @Override
  public void outcomesSettled(List<AttemptKey> attempts) {}

  @Override
  public void dueWorkChanged() {}
}
