package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.NodeStatus;
import dev.shardhook.node.store.DiskReserve;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.testing.FreePorts;
import dev.shardhook.node.testing.TestClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower of a real three-node group whose state machine stops applying (its apply thread is
 * held) while the leader keeps committing: it reports itself stalled in its status and readiness,
 * although the leader sees its log as up to date, and recovers once it applies again.
 */
class ReplicaStallTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final CountDownLatch release = new CountDownLatch(1);
  private final RaftShard[] shards = new RaftShard[3];
  private final JobStore[] stores = new JobStore[3];
  private volatile int held = -1;

  @AfterEach
  void close() throws IOException {
    release.countDown();
    for (int i = 0; i < 3; i++) {
      if (shards[i] != null) {
        shards[i].close();
      }
      if (stores[i] != null) {
        stores[i].close();
      }
    }
  }

  @Test
  void aFollowerThatStopsApplyingReportsItselfStalledAndRecovers() throws Exception {
    start();
    int leader = awaitLeader();
    int follower = (leader + 1) % 3;
    submit(leader, "warm-up");
    await().atMost(TIMEOUT).until(() -> status(follower).lag() == 0);

    held = follower;
    for (int i = 0; i < 5; i++) {
      submit(leader, "job-" + i);
    }
    await("the held follower sees the leader's commit index move on")
        .atMost(TIMEOUT)
        .until(() -> status(follower).lag() >= 4);
    assertThat(status(follower).stalled()).isFalse();
    assertThat(shards[follower].notReadyReason()).isEmpty();

    clock.advance(ReplicaLag.STALL_AFTER.plusSeconds(1));

    NodeStatus stalled = status(follower);
    assertThat(stalled.stalled()).isTrue();
    assertThat(stalled.appliedIndex()).isLessThan(status(leader).commitIndex());
    assertThat(shards[follower].notReadyReason())
        .hasValueSatisfying(r -> assertThat(r).startsWith("replica stalled:"));
    // The leader only sees the log: it is replicated, so it shows no lag for this follower.
    String followerId = String.valueOf((char) ('a' + follower));
    await("the leader sees the held follower's log complete")
        .atMost(TIMEOUT)
        .until(
            () ->
                status(leader).followers().stream()
                    .anyMatch(f -> f.id().equals(followerId) && f.lag() == 0));
    assertThat(status(follower).stalled()).isTrue();

    release.countDown();
    await("the follower applied everything again")
        .atMost(TIMEOUT)
        .until(() -> status(follower).lag() == 0 && !status(follower).stalled());
    assertThat(shards[follower].notReadyReason()).isEmpty();
  }

  private void start() throws IOException {
    int[] ports = FreePorts.take(3);
    String peers =
        "a=127.0.0.1:" + ports[0] + ",b=127.0.0.1:" + ports[1] + ",c=127.0.0.1:" + ports[2];
    for (int i = 0; i < 3; i++) {
      String id = String.valueOf((char) ('a' + i));
      NodeConfig config =
          NodeConfig.builder()
              .insecureNoAuth(true)
              .nodeId(id)
              .shardId("shard-t")
              .peers(peers)
              .httpHost("127.0.0.1")
              .httpPort(0)
              .dataDir(dir.resolve(id))
              .build();
      stores[i] = JobStore.open(dir.resolve(id).resolve("db"));
      shards[i] = RaftShard.prepare(config.raft(), clock);
    }
    IntStream.range(0, 3)
        .parallel()
        .forEach(
            i -> {
              try {
                shards[i].start(
                    new JobStateMachine(
                        stores[i],
                        "shard-t",
                        new Admission(stores[i], 1000),
                        Duration.ofHours(1),
                        Clock.systemUTC(),
                        new HoldWhen(i),
                        new DiskReserve(() -> Long.MAX_VALUE, 0, Clock.systemUTC())));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
  }

  private int awaitLeader() {
    int[] found = {-1};
    await("a ready leader")
        .atMost(TIMEOUT)
        .until(
            () -> {
              for (int i = 0; i < 3; i++) {
                if (shards[i].isLeaderReady()) {
                  found[0] = i;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private void submit(int leader, String id) throws Exception {
    var job = EntryApplierTest.newJob(id, null, "f-" + id);
    var reply =
        shards[leader]
            .propose(CommandCodec.proposal(new Command.Submit(0, 0, List.of(), List.of(job))))
            .get(10, TimeUnit.SECONDS);
    assertThat(reply.isSuccess()).as(String.valueOf(reply.getException())).isTrue();
  }

  private NodeStatus status(int i) {
    return shards[i].status(0, 0, 0, 0);
  }

  /** Holds the apply thread of node {@code node} on new due work while it is the held one. */
  private final class HoldWhen extends NoLeaderWork {
    private final int node;

    HoldWhen(int node) {
      this.node = node;
    }

    @Override
    public void dueWorkChanged() {
      if (held == node) {
        try {
          release.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
