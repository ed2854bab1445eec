package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxyClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
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
 * Named queues through a proxy over two real shards (README, "Queues"): every write reaches both
 * shards, each stores half the limits, reads sum the shards' counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyQueuesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final List<String> SHARDS = List.of("shard-0", "shard-1");
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

  private HttpResponse<String> put(String name, String json) {
    return client.send("PUT", "/queues/" + name, "application/json", json);
  }

  @Test
  void writesReachEveryShardWithItsShareAndReadsSumTheShards() {
    HttpResponse<String> created =
        put("fan", "{\"ratePerSecond\":10,\"maxConcurrency\":5,\"paused\":true}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode q = json(created);
    assertThat(q.path("limits").path("scope").asText()).isEqualTo("divided");
    assertThat(q.path("limits").path("shards").asInt()).isEqualTo(2);
    assertThat(q.path("limits").path("perShard").path("ratePerSecond").asDouble()).isEqualTo(5.0);
    assertThat(q.path("limits").path("perShard").path("maxConcurrency").asInt()).isEqualTo(3);
    assertThat(q.path("shards").size()).isEqualTo(2);
    assertThat(q.has("partial")).isFalse();
    // Each shard stores the queue, with its share, also when asked directly.
    for (TestShard shard : shards) {
      HttpResponse<String> direct = shardGet(shard, "/queues/fan");
      assertThat(json(direct).path("limits").path("shards").asInt()).isEqualTo(2);
      assertThat(json(direct).path("paused").asBoolean()).isTrue();
    }

    // Two jobs on each shard, held by the paused queue.
    List<String> ids = new ArrayList<>();
    for (String shard : SHARDS) {
      for (int i = 0; i < 2; i++) {
        String id = idOn(shard, "fan" + i);
        HttpResponse<String> r =
            client.post(
                "/jobs",
                "{\"id\":\""
                    + id
                    + "\",\"url\":\""
                    + receiver.url("/fan")
                    + "\",\"queue\":\"fan\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        ids.add(id);
      }
    }
    JsonNode listed = json(client.get("/jobs?queue=fan"));
    List<String> listedIds = new ArrayList<>();
    listed.path("jobs").forEach(j -> listedIds.add(j.path("id").asText()));
    assertThat(listedIds).containsExactlyInAnyOrderElementsOf(ids);
    JsonNode read = json(client.get("/queues/fan"));
    assertThat(read.path("depth").asLong()).isEqualTo(4);
    assertThat(read.path("shards").path("shard-0").path("depth").asLong()).isEqualTo(2);
    assertThat(receiver.total()).isZero();

    HttpResponse<String> resumed = client.post("/queues/fan:resume", "");
    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
    assertThat(json(resumed).path("paused").asBoolean()).isFalse();
    await("every job delivered")
        .atMost(TIMEOUT)
        .until(() -> ids.stream().allMatch(id -> !receiver.deliveries(id).isEmpty()));
    await("delivered counted on both shards")
        .atMost(TIMEOUT)
        .until(() -> json(client.get("/queues/fan")).path("delivered").asLong() == 4);

    JsonNode list = json(client.get("/queues"));
    List<String> names = new ArrayList<>();
    list.path("queues").forEach(x -> names.add(x.path("name").asText()));
    assertThat(names).contains("default", "fan");

    HttpResponse<String> deleted = client.delete("/queues/fan");
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(client.get("/queues/fan").statusCode()).isEqualTo(404);
  }

  @Test
  void purgeCancelsOnEveryShardAndSums() {
    assertThat(put("drain", "{\"paused\":true}").statusCode()).isEqualTo(201);
    for (String shard : SHARDS) {
      for (int i = 0; i < 3; i++) {
        String id = idOn(shard, "drain" + i);
        HttpResponse<String> r =
            client.post(
                "/jobs",
                "{\"id\":\""
                    + id
                    + "\",\"url\":\""
                    + receiver.url("/drain")
                    + "\",\"queue\":\"drain\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      }
    }
    HttpResponse<String> refused = client.delete("/queues/drain");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    HttpResponse<String> purged = client.post("/queues/drain:purge", "");
    assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
    assertThat(json(purged).path("cancelled").asLong()).isEqualTo(6);
    assertThat(json(purged).path("shards").size()).isEqualTo(2);
    assertThat(json(client.get("/queues/drain")).path("depth").asLong()).isZero();
    assertThat(client.delete("/queues/drain").statusCode()).isEqualTo(200);
    for (TestShard shard : shards) {
      assertThat(shardGet(shard, "/queues/drain").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void refusalsArePassedOn() {
    assertThat(put("bad.name", "{}").statusCode()).isEqualTo(400);
    assertThat(put("q", "{\"ratePerSecond\":-1}").statusCode()).isEqualTo(400);
    assertThat(put("q", "{\"nope\":1}").statusCode()).isEqualTo(400);
    assertThat(client.get("/queues/missing").statusCode()).isEqualTo(404);
    assertThat(client.delete("/queues/default").statusCode()).isEqualTo(409);
    HttpResponse<String> unknown =
        client.post("/jobs", "{\"url\":\"" + receiver.url("/u") + "\",\"queue\":\"ghost\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("unknown-queue");
  }

  private static HttpResponse<String> shardGet(TestShard shard, String path) {
    try (var http = java.net.http.HttpClient.newHttpClient()) {
      return http.send(
          java.net.http.HttpRequest.newBuilder(URI.create(shard.url(shard.awaitLeader()) + path))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
