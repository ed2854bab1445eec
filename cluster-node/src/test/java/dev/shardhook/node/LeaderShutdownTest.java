package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A leader stopped as SIGTERM would stop it hands leadership over before its Raft server goes. */
class LeaderShutdownTest extends ShardFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void closingTheLeaderHandsLeadershipOverWhileItsAttemptsFinishAndLosesNoJob() throws Exception {
    shard = TestShard.start(dir, b -> b.workers(8).shutdownGrace(Duration.ofSeconds(10)));
    // Slow answers keep attempts in flight on the old leader while it closes.
    receiver.latency(1_000);
    int leader = shard.awaitLeader();
    String base = shard.url(leader);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String json =
          "{\"url\":\"" + receiver.url("/hook") + "\",\"body\":\"{\\\"n\\\":" + i + "}\"}";
      HttpResponse<String> r = client.post(base + "/jobs", json);
      // 200: a proposal re-sent across a leader change during start-up found its first copy
      assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
      ids.add(NodeClient.parse(r.body(), Job.class).id());
    }
    await().atMost(TIMEOUT).until(() -> receiver.total() >= 8);
    int inFlight = shard.node(leader).status().running();

    Thread closer = Thread.ofPlatform().name("close-leader").start(() -> shard.stop(leader));
    AtomicInteger newLeader = new AtomicInteger(-1);
    boolean[] oldStillClosing = new boolean[1];
    await("a new ready leader")
        .atMost(TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              for (int i = 0; i < 3; i++) {
                ShardNode n = shard.node(i);
                if (i != leader && n != null && n.status().leaderReady()) {
                  newLeader.set(i);
                  // sampled after the new leader was seen ready
                  oldStillClosing[0] = closer.isAlive();
                  return true;
                }
              }
              return false;
            });
    closer.join(TIMEOUT.toMillis());

    assertThat(inFlight).as("attempts in flight when the leader was closed").isPositive();
    assertThat(oldStillClosing[0])
        .as("another node led before the old leader had closed its Raft server")
        .isTrue();
    assertThat(closer.isAlive()).isFalse();
    String newBase = shard.url(newLeader.get());
    await("every accepted job SUCCEEDED")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () ->
                ids.stream()
                    .allMatch(id -> client.job(newBase, id).status() == JobStatus.SUCCEEDED));
    assertThat(ids).allSatisfy(id -> assertThat(receiver.deliveries(id)).isNotEmpty());
  }
}
