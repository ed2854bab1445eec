package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxyClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.api.routing.OrderingKeyRouting;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordered jobs across three real shards behind a proxy: the key, not the id, picks the shard, and
 * every job is found by its id however it got it (README, "Ordering").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyOrderingTest {
  private static final List<String> SHARDS = List.of("shard-0", "shard-1", "shard-2");
  private static final ShardRing RING = ShardRing.of(SHARDS);
  private static final Duration DONE = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private final RecordingReceiver receiver = RecordingReceiver.start();
  private ShardsBehindProxy cluster;
  private List<TestShard> shards;
  private ProxyServer proxy;
  private ProxyClient client;

  @BeforeAll
  void start() throws Exception {
    cluster =
        ShardsBehindProxy.start(
            dir, SHARDS, b -> b.workers(8).shutdownGrace(Duration.ofSeconds(2)));
    shards = cluster.shards;
    proxy = cluster.proxy;
    client = cluster.client;
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    receiver.close();
  }

  private static String keyShard(String key) {
    return OrderingKeyRouting.shardFor(RING, JobIds.DEFAULT_TENANT, key);
  }

  private String job(String key, String extra) {
    return "{\"url\":\""
        + receiver.url("/ordered")
        + "\",\"orderingKey\":\""
        + key
        + "\""
        + extra
        + "}";
  }

  private JsonNode found(String id) {
    HttpResponse<String> r = client.get("/jobs/" + id);
    assertThat(r.statusCode()).as(id + ": " + r.body()).isEqualTo(200);
    return json(r);
  }

  /** A key whose shard differs from the shard the ring gives {@code idOf(key)}. */
  private static String keyAwayFrom(String prefix, java.util.function.Function<String, String> id) {
    for (int i = 0; ; i++) {
      String key = prefix + i;
      if (!keyShard(key).equals(RING.shardFor(id.apply(key)))) {
        return key;
      }
    }
  }

  @Test
  void everyJobOfAKeyLandsOnTheKeysShardWithADrawnIdThatFindsIt() {
    Set<String> used = new HashSet<>();
    for (int k = 0; k < 6; k++) {
      String key = "customer-" + k;
      for (int n = 0; n < 4; n++) {
        HttpResponse<String> r = client.post("/jobs", job(key, ""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode accepted = json(r);
        String id = accepted.get("id").asText();
        assertThat(accepted.get("shardId").asText()).isEqualTo(keyShard(key));
        assertThat(RING.shardFor(id)).as("drawn id's shard").isEqualTo(keyShard(key));
        assertThat(found(id).get("orderingKey").asText()).isEqualTo(key);
        used.add(accepted.get("shardId").asText());
      }
    }
    assertThat(used).as("six keys spread over the shards").hasSizeGreaterThan(1);
  }

  @Test
  void clientIdsAndIdempotencyKeysOfOrderedJobsAreFoundOnTheKeysShard() {
    String byKey = keyAwayFrom("idk-order-", k -> JobIds.fromIdempotencyKey("idem-" + k));
    HttpResponse<String> r =
        client.post("/jobs", job(byKey, ""), "Idempotency-Key", "idem-" + byKey);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String idkId = json(r).get("id").asText();
    assertThat(json(r).get("shardId").asText()).isEqualTo(keyShard(byKey));
    // Sent again, it lands on the same shard and is recognised.
    HttpResponse<String> again =
        client.post("/jobs", job(byKey, ""), "Idempotency-Key", "idem-" + byKey);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("id").asText()).isEqualTo(idkId);

    String byId = keyAwayFrom("client-order-", k -> "own-" + k);
    HttpResponse<String> own = client.post("/jobs", job(byId, ",\"id\":\"own-" + byId + "\""));
    assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
    assertThat(json(own).get("shardId").asText()).isEqualTo(keyShard(byId));

    // Their ids hash to other shards: the proxy asks every shard on 404 from the homes.
    assertThat(found(idkId).get("shardId").asText()).isEqualTo(keyShard(byKey));
    assertThat(found("own-" + byId).get("shardId").asText()).isEqualTo(keyShard(byId));
    assertThat(client.get("/jobs/no-such-ordered-job").statusCode()).isEqualTo(404);
    await("both delivered")
        .atMost(DONE)
        .until(
            () ->
                found(idkId).get("status").asText().equals("SUCCEEDED")
                    && found("own-" + byId).get("status").asText().equals("SUCCEEDED"));
  }

  @Test
  void aBatchSendsEachOrderedItemToItsKeysShardInOrder() {
    StringBuilder batch = new StringBuilder("[");
    List<String> keys = List.of("batch-a", "batch-b", "batch-c");
    for (int n = 0; n < 5; n++) {
      for (String key : keys) {
        if (batch.length() > 1) {
          batch.append(',');
        }
        batch.append(job(key, ",\"body\":\"" + n + "\""));
      }
    }
    HttpResponse<String> r = client.post("/jobs:batch", batch.append(']').toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    List<String> ids = new ArrayList<>();
    int i = 0;
    for (JsonNode item : json(r)) {
      assertThat(item.get("status").asInt()).as(item.toString()).isEqualTo(201);
      String key = keys.get(i++ % keys.size());
      assertThat(item.get("job").get("shardId").asText()).isEqualTo(keyShard(key));
      ids.add(item.get("job").get("id").asText());
    }
    for (String id : ids) {
      await(id).atMost(DONE).until(() -> found(id).get("status").asText().equals("SUCCEEDED"));
    }
  }
}
