package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full shard refuses new jobs before they reach the Raft log, yet still answers resubmissions of
 * the jobs it holds with their replay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadSheddingTest extends ShardFixture {
  private static final int MAX_PENDING = 5;
  // Never due during the test: the queue stays full.
  private static final String LATER = "\"delayMs\":86400000";

  @TempDir static Path dir;

  @BeforeAll
  void start() {
    shard = TestShard.start(dir, b -> b.maxPending(MAX_PENDING));
  }

  private static String job(String id) {
    return "{\"id\":\"" + id + "\",\"url\":\"http://127.0.0.1:9/h\"," + LATER + "}";
  }

  @Test
  void refusedJobsNeverReachTheLogAndReplaysStillAnswer() {
    int leader = shard.awaitLeader();
    String url = shard.url(leader);
    for (int i = 0; i < MAX_PENDING; i++) {
      HttpResponse<String> r = client.post(url + "/jobs", job("held-" + i));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> shard.node(leader).status().pending() == MAX_PENDING);
    long indexWhenFull = shard.node(leader).status().commitIndex();

    for (int i = 0; i < 50; i++) {
      HttpResponse<String> single = client.post(url + "/jobs", job("refused-" + i));
      assertThat(single.statusCode()).as(single.body()).isEqualTo(429);
      assertThat(single.headers().firstValue("Retry-After")).isPresent();
    }
    HttpResponse<String> batch =
        client.post(url + "/jobs:batch", "[" + job("refused-b1") + "," + job("held-0") + "]");
    assertThat(batch.statusCode()).isEqualTo(207);
    JsonNode items = NodeClient.tree(batch.body());
    assertThat(items.get(0).get("status").asInt()).isEqualTo(429);
    assertThat(items.get(1).get("status").asInt()).as("replay in a full shard").isEqualTo(200);

    HttpResponse<String> replay = client.post(url + "/jobs", job("held-1"));
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");

    // A follower sheds the same way, before forwarding to the leader.
    HttpResponse<String> viaFollower =
        client.post(shard.url(shard.follower(leader)) + "/jobs", job("refused-f"));
    assertThat(viaFollower.statusCode()).as(viaFollower.body()).isEqualTo(429);

    // Only the two replays were proposed, not the 52 refused jobs (a busy machine may add an
    // election's entries, hence the margin).
    assertThat(shard.node(leader).status().commitIndex()).isLessThan(indexWhenFull + 12);
    for (String id : new String[] {"refused-0", "refused-49", "refused-b1", "refused-f"}) {
      assertThat(client.get(url + "/jobs/" + id).statusCode()).isEqualTo(404);
    }
  }
}
