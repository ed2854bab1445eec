package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.testing.FreePorts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftClientReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry that cannot be applied is skipped on every replica instead of stopping the state
 * machine, and the node reports itself down only when its Raft server really stopped.
 */
class UnapplicableEntryTest {
  @TempDir Path dir;

  @Test
  void anEntryThatThrowsInApplyIsSkippedAndTheShardGoesOn() throws Exception {
    NodeConfig config =
        NodeConfig.builder()
            .insecureNoAuth(true)
            .nodeId("a")
            .shardId("shard-u")
            .peers("a=127.0.0.1:" + FreePorts.take(1)[0])
            .dataDir(dir)
            .build();
    try (JobStore store = JobStore.open(dir.resolve("db"))) {
      RaftShard shard = RaftShard.prepare(config.raft());
      try {
        shard.start(
            ShardStateMachines.create(
                store,
                new Admission(store, 100),
                config.shardId(),
                config.idempotencyWindow(),
                Clock.systemUTC(),
                new NoLeaderWork(),
                new DiskReserve(() -> Long.MAX_VALUE, 0, Clock.systemUTC())));
        await().atMost(Duration.ofSeconds(30)).until(shard::isLeaderReady);

        // Only a forged proposal carries a cancel without a job id: applying it throws.
        RaftClientReply bad =
            shard
                .propose(CommandCodec.proposal(new Command.Cancel(null, 0)))
                .get(30, TimeUnit.SECONDS);
        assertThat(bad.isSuccess()).isFalse();
        assertThat(shard.downReason()).isEmpty();
        assertThat(shard.unapplicableEntries()).isEqualTo(1);
        assertThat(store.applied().orElseThrow().index()).isGreaterThanOrEqualTo(bad.getLogIndex());

        RaftClientReply ok =
            shard
                .propose(
                    CommandCodec.proposal(
                        new Command.Submit(
                            0, 0, List.of(), List.of(EntryApplierTest.newJob("after", null, "f")))))
                .get(30, TimeUnit.SECONDS);
        assertThat(ok.isSuccess()).isTrue();
        assertThat(CommandCodec.submitResults(ok.getMessage().getContent()))
            .extracting(SubmitResult::kind)
            .containsExactly(SubmitResult.Kind.CREATED);
        assertThat(store.job("after")).isPresent();
        assertThat(shard.notReadyReason()).isEmpty();
      } finally {
        shard.close();
      }
      assertThat(shard.downReason()).hasValueSatisfying(r -> assertThat(r).contains("CLOSED"));
    }
  }
}
