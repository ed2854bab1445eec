package dev.shardhook.node.raft;

import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import org.apache.ratis.statemachine.StateMachine;

/** Builds the shard's state machine; the class itself stays package-private. */
public final class ShardStateMachines {
  private ShardStateMachines() {}

  public static StateMachine create(
      JobStore store,
      Admission admission,
      String shardId,
      Duration idempotencyWindow,
      Clock clock,
      LeaderListener listener,
      DiskReserve diskReserve) {
    return create(
        store, admission, shardId, idempotencyWindow, clock, listener, diskReserve, false);
  }

  /** As above; {@code purgeAfterExport}: the purge waits for the history exporter. */
  public static StateMachine create(
      JobStore store,
      Admission admission,
      String shardId,
      Duration idempotencyWindow,
      Clock clock,
      LeaderListener listener,
      DiskReserve diskReserve,
      boolean purgeAfterExport) {
    return new JobStateMachine(
        store,
        shardId,
        admission,
        idempotencyWindow,
        clock,
        listener,
        diskReserve,
        purgeAfterExport);
  }
}
