package dev.shardhook.node.raft;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.JobStore;
import java.time.Clock;
import org.apache.ratis.statemachine.StateMachine;

/** Builds the shard's state machine; the class itself stays package-private. */
public final class ShardStateMachines {
  private ShardStateMachines() {}

  public static StateMachine create(
      JobStore store,
      Admission admission,
      NodeConfig config,
      Clock clock,
      LeaderListener listener,
      DiskReserve diskReserve) {
    return new JobStateMachine(
        store,
        config.shardId(),
        admission,
        config.idempotencyWindow(),
        clock,
        listener,
        diskReserve);
  }
}
