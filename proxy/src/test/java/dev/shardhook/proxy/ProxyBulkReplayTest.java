package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxyClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk replay through a proxy over three real shards: each shard replays its own failed jobs, and
 * {@code GET /operations/{id}} sums the three parts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyBulkReplayTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> SHARDS = List.of("shard-0", "shard-1", "shard-2");
  private static final ShardRing RING = ShardRing.of(SHARDS);

  @TempDir static Path dir;

  private final RecordingReceiver receiver = RecordingReceiver.start();
  private ShardsBehindProxy cluster;
  private List<TestShard> shards;
  private ProxyServer proxy;
  private ProxyClient client;

  @BeforeAll
  void start() throws Exception {
    cluster = ShardsBehindProxy.start(dir, SHARDS, b -> b.workers(8));
    shards = cluster.shards;
    proxy = cluster.proxy;
    client = cluster.client;
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    receiver.close();
  }

  private static String idOn(String shard, String prefix) {
    for (int i = 0; ; i++) {
      String id = prefix + "-" + i;
      if (RING.shardFor(id).equals(shard)) {
        return id;
      }
    }
  }

  @Test
  void everyShardReplaysItsFailedJobsAndTheOperationSumsThem() {
    List<String> ids = new ArrayList<>();
    for (String shard : SHARDS) {
      for (int i = 0; i < 5; i++) {
        String id = idOn(shard, "failed-" + shard + "-" + i);
        receiver.script("/" + id, RecordingReceiver.status(400));
        HttpResponse<String> created =
            client.post(
                "/jobs", "{\"id\":\"" + id + "\",\"url\":\"" + receiver.url("/" + id) + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ids.add(id);
      }
    }
    await("every job failed")
        .atMost(TIMEOUT)
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        id ->
                            json(client.get("/jobs/" + id))
                                .get("status")
                                .asText()
                                .equals("FAILED")));

    HttpResponse<String> started = client.post("/jobs:replay", "{}");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String id = json(started).get("id").asText();
    assertThat(json(started).get("shards").size()).isEqualTo(3);
    await("every shard finished its part")
        .atMost(TIMEOUT)
        .until(
            () -> json(client.get("/operations/" + id)).get("status").asText().equals("SUCCEEDED"));
    JsonNode op = json(client.get("/operations/" + id));
    assertThat(op.get("replayed").asLong()).isEqualTo(15);
    assertThat(op.get("skipped").asLong()).isZero();
    for (String shard : SHARDS) {
      assertThat(op.get("shards").get(shard).get("replayed").asLong()).as(shard).isEqualTo(5);
    }
    assertThat(op.has("partial")).isFalse();
    await("every replayed job delivered")
        .atMost(TIMEOUT)
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        j ->
                            json(client.get("/jobs/" + j))
                                .get("status")
                                .asText()
                                .equals("SUCCEEDED")));
    for (String job : ids) {
      assertThat(receiver.deliveries(job)).as(job).hasSize(2);
    }
  }
}
