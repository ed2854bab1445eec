package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A queue's configuration, pending index and counts survive a restart of the whole shard. */
class QueueRecoveryTest extends ShardFixture {
  @TempDir Path dir;

  private JsonNode queue(String name) {
    HttpResponse<String> r = client.get(leaderUrl() + "/queues/" + name);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return NodeClient.tree(r.body());
  }

  @Test
  void aPausedQueueAndItsJobsComeBackAfterEveryNodeRestarts() {
    shard = TestShard.start(dir, b -> b);
    HttpResponse<String> put =
        client.put(leaderUrl() + "/queues/kept?shards=2", "{\"paused\":true,\"ratePerSecond\":8}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r =
          client.post(
              leaderUrl() + "/jobs",
              "{\"url\":\"" + receiver.url("/kept") + "\",\"queue\":\"kept\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      ids.add(NodeClient.tree(r.body()).path("id").asText());
    }

    IntStream.range(0, 3).parallel().forEach(shard::stop);
    IntStream.range(0, 3).parallel().forEach(shard::start);

    JsonNode q = queue("kept");
    assertThat(q.path("paused").asBoolean()).isTrue();
    assertThat(q.path("limits").path("perShard").path("ratePerSecond").asDouble()).isEqualTo(4.0);
    assertThat(q.path("depth").asLong()).isEqualTo(3);
    assertThat(receiver.total()).isZero();

    assertThat(client.post(leaderUrl() + "/queues/kept:resume", "").statusCode()).isEqualTo(200);
    await("delivered after the restart and resume")
        .atMost(Duration.ofSeconds(60))
        .until(() -> ids.stream().allMatch(id -> !receiver.deliveries(id).isEmpty()));
    await("counted")
        .atMost(Duration.ofSeconds(60))
        .until(() -> queue("kept").path("delivered").asLong() == 3);
  }
}
