package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.node.testing.HangingReceiver;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A destination that never answers, through a real three-node shard, does not hold up another. */
class ShardFairDeliveryTest {
  @TempDir Path dir;

  @Test
  void aHealthyReceiverIsServedWhileHundredsOfJobsHangOnADeadOne() throws Exception {
    try (NodeClient client = new NodeClient();
        RecordingReceiver healthy = RecordingReceiver.start();
        TestShard shard = TestShard.start(dir, b -> b.workers(16));
        HangingReceiver dead = new HangingReceiver()) {
      String base = shard.url(shard.awaitLeader());
      // workers (16) < the per-host limit (64): only fairness keeps workers for the healthy host
      for (int batch = 0; batch < 3; batch++) {
        StringJoiner jobs = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 100; i++) {
          jobs.add("{\"url\":\"" + dead.url() + "\",\"timeoutMs\":30000}");
        }
        HttpResponse<String> r = client.post(base + "/jobs:batch", jobs.toString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> dead.accepted() >= 8);
      // The hanging attempts are what a new leader would run again: /status counts them.
      NodeStatus leaderStatus = shard.node(shard.awaitLeader()).status();
      assertThat(leaderStatus.inFlight()).isGreaterThanOrEqualTo(leaderStatus.running());
      assertThat(leaderStatus.inFlight()).isGreaterThanOrEqualTo(8);

      HttpResponse<String> r =
          client.post(base + "/jobs", "{\"url\":\"" + healthy.url("/ok") + "\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      String id = NodeClient.tree(r.body()).get("id").asText();

      await("the healthy job delivered")
          .atMost(Duration.ofSeconds(5))
          .until(() -> !healthy.deliveries(id).isEmpty());
      assertThat(dead.accepted()).isLessThan(16);
    }
  }
}
