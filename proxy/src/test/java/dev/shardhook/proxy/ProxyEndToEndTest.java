package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxyClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real three-node shards in this JVM, a proxy in front, and a real receiver. The shards are
 * shared by every test (starting six Raft nodes is the expensive part); the tests that stop nodes
 * run last, in order, and the one that stops a whole shard is the very last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyEndToEndTest {
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final ShardRing RING = ShardRing.of(List.of("shard-0", "shard-1"));

  @TempDir static Path dir;

  private final RecordingReceiver receiver = RecordingReceiver.start();
  private final List<AutoCloseable> open = new ArrayList<>();
  private TestShard shard0;
  private TestShard shard1;
  private ProxyServer proxy;
  private ProxyClient client;
  // The bulk replay's operation, asked for again once a shard is down.
  private String bulkOperation;

  @BeforeAll
  void start() throws Exception {
    // On threads of our own: waiting for a leader on common-pool workers starves the Raft nodes,
    // which use that pool too (on two cores it has a single worker).
    try (ExecutorService starters = Executors.newFixedThreadPool(2)) {
      Future<TestShard> first = starters.submit(() -> startShard("shard-0"));
      Future<TestShard> second = starters.submit(() -> startShard("shard-1"));
      shard0 = first.get();
      shard1 = second.get();
    }
    proxy = startProxy(ShardMap.of(List.of(mapEntry(shard0), mapEntry(shard1)), null));
    client = ProxyClient.of(proxy);
    awaitLeadersKnown(client);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    Stream.of(shard0, shard1).filter(s -> s != null).forEach(TestShard::close);
    receiver.close();
  }

  private static TestShard startShard(String id) {
    return TestShard.start(id, dir, b -> b.workers(16).shutdownGrace(Duration.ofSeconds(2)));
  }

  /** The shard as a shard map lists it. */
  private static ShardMap.Shard mapEntry(TestShard shard) {
    return new ShardMap.Shard(
        shard.shardId(), IntStream.range(0, 3).mapToObj(i -> URI.create(shard.url(i))).toList());
  }

  private ProxyServer startProxy(ShardMap map) {
    ProxyServer started =
        ProxyServer.start(
            ProxyConfig.builder()
                .insecureNoAuth(true)
                .httpHost("127.0.0.1")
                .httpPort(0)
                .shardMap(map)
                .statusInterval(Duration.ofMillis(200))
                .build());
    open.add(started);
    return started;
  }

  private static void awaitLeadersKnown(ProxyClient client) {
    await("the proxy knows every leader")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonNode status = json(client.get("/status"));
              for (JsonNode shard : status.get("shards")) {
                if (shard.path("leader").isMissingNode()) {
                  return false;
                }
              }
              return true;
            });
  }

  private String job(String extra) {
    return "{\"url\":\"" + receiver.url("/hook") + "\"" + extra + "}";
  }

  /** An id of the form {@code prefix-n} that the two-shard ring places on {@code shard}. */
  private static String idOn(String shard, String prefix) {
    for (int i = 0; ; i++) {
      String id = prefix + "-" + i;
      if (RING.shardFor(id).equals(shard)) {
        return id;
      }
    }
  }

  @Test
  @Order(1)
  void jobsLandOnBothShardsAndAreDelivered() {
    List<String> ids = new ArrayList<>();
    Set<String> shards = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      HttpResponse<String> created = client.post("/jobs", job(""));

      assertThat(created.statusCode()).isEqualTo(201);
      JsonNode job = json(created);
      String id = job.get("id").asText();
      assertThat(job.get("shardId").asText()).isEqualTo(RING.shardFor(id));
      assertThat(created.headers().firstValue("Location")).hasValue("/jobs/" + id);
      ids.add(id);
      shards.add(job.get("shardId").asText());
    }
    assertThat(shards).containsExactlyInAnyOrder("shard-0", "shard-1");

    for (String id : ids) {
      await("job " + id + " delivered")
          .atMost(DELIVERY_TIMEOUT)
          .until(() -> json(client.get("/jobs/" + id)).get("status").asText().equals("SUCCEEDED"));
      assertThat(receiver.deliveries(id)).as("deliveries of %s", id).isNotEmpty();
    }
  }

  @Test
  @Order(2)
  void theSameKeyOrIdTwiceIsOneJob() {
    HttpResponse<String> first = client.post("/jobs", job(""), "Idempotency-Key", "order-1042");
    HttpResponse<String> again = client.post("/jobs", job(""), "Idempotency-Key", "order-1042");
    String id = idOn("shard-1", "fixed");
    HttpResponse<String> withId = client.post("/jobs", job(",\"id\":\"" + id + "\""));
    HttpResponse<String> withIdAgain = client.post("/jobs", job(",\"id\":\"" + id + "\""));
    HttpResponse<String> conflicting =
        client.post("/jobs", job(",\"id\":\"" + id + "\",\"body\":\"other\""));

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(json(again).get("id").asText())
        .isEqualTo(json(first).get("id").asText())
        .isEqualTo(JobIds.fromIdempotencyKey("order-1042"));
    assertThat(withId.statusCode()).isEqualTo(201);
    assertThat(json(withId).get("shardId").asText()).isEqualTo("shard-1");
    assertThat(withIdAgain.statusCode()).isEqualTo(200);
    assertThat(conflicting.statusCode()).isEqualTo(422);
    assertThat(conflicting.headers().firstValue("Content-Type"))
        .hasValue("application/problem+json");
  }

  @Test
  @Order(3)
  void aBatchIsSplitAcrossShardsAndAnsweredInOrder() {
    String onShard0 = idOn("shard-0", "batch");
    String onShard1 = idOn("shard-1", "batch");
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(job(""));
    }
    items.add(5, job(",\"id\":\"" + onShard1 + "\""));
    items.add(6, job(",\"id\":\"bad id\""));
    items.add(7, job(",\"idempotencyKey\":\"batch-key\""));
    items.add(8, job(",\"id\":\"" + onShard0 + "\""));

    HttpResponse<String> answer = client.post("/jobs:batch", "[" + String.join(",", items) + "]");

    assertThat(answer.statusCode()).isEqualTo(207);
    JsonNode results = json(answer);
    assertThat(results).hasSize(24);
    assertThat(results.get(5).at("/job/id").asText()).isEqualTo(onShard1);
    assertThat(results.get(5).at("/job/shardId").asText()).isEqualTo("shard-1");
    assertThat(results.get(6).get("status").asInt()).isEqualTo(400);
    assertThat(results.get(7).at("/job/id").asText())
        .isEqualTo(JobIds.fromIdempotencyKey("batch-key"));
    assertThat(results.get(8).at("/job/shardId").asText()).isEqualTo("shard-0");
    Set<String> shards = new HashSet<>();
    for (int i = 0; i < results.size(); i++) {
      if (i == 6) {
        continue;
      }
      JsonNode result = results.get(i);
      assertThat(result.get("status").asInt()).as("item %d", i).isEqualTo(201);
      String id = result.at("/job/id").asText();
      assertThat(result.at("/job/shardId").asText()).isEqualTo(RING.shardFor(id));
      shards.add(result.at("/job/shardId").asText());
      assertThat(client.get("/jobs/" + id).statusCode()).isEqualTo(200);
    }
    assertThat(shards).containsExactlyInAnyOrder("shard-0", "shard-1");
  }

  @Test
  @Order(4)
  void aCancelGoesToTheJobsShard() {
    String id = idOn("shard-1", "cancel");
    client.post("/jobs", job(",\"id\":\"" + id + "\",\"delayMs\":600000"));

    HttpResponse<String> cancelled = client.delete("/jobs/" + id);
    HttpResponse<String> again = client.delete("/jobs/" + id);

    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(json(cancelled).get("status").asText()).isEqualTo("CANCELLED");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(client.delete("/jobs/never-submitted").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void aReplayGoesToTheJobsShardAndTheJobIsDelivered() {
    for (String shard : List.of("shard-0", "shard-1")) {
      String id = idOn(shard, "replay");
      client.post("/jobs", job(",\"id\":\"" + id + "\",\"delayMs\":600000"));
      assertThat(client.delete("/jobs/" + id).statusCode()).isEqualTo(200);

      HttpResponse<String> replayed = client.send("POST", "/jobs/" + id + ":replay", null, "");
      HttpResponse<String> again = client.send("POST", "/jobs/" + id + ":replay", null, "");

      assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
      assertThat(json(replayed).get("shardId").asText()).isEqualTo(shard);
      assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
      assertThat(json(again).get("type").asText()).endsWith("/job-not-replayable");
      await(id + " delivered after its replay")
          .atMost(DELIVERY_TIMEOUT)
          .until(() -> receiver.deliveries(id).size() == 1);
    }
    assertThat(client.send("POST", "/jobs/never-submitted:replay", null, "").statusCode())
        .isEqualTo(404);
    assertThat(client.send("POST", "/jobs/" + "x".repeat(200) + ":replay", null, "").statusCode())
        .isEqualTo(400);
  }

  @Test
  @Order(4)
  void aBulkReplayRunsOnEveryShardAndItsOperationSumsThem() {
    // Only this test's jobs: others of the class failed too.
    String after = Instant.now().minusMillis(1).toString();
    List<String> ids = new ArrayList<>();
    for (String shard : List.of("shard-0", "shard-1")) {
      for (int i = 0; i < 10; i++) {
        String id = idOn(shard, "bulk-" + shard + "-" + i);
        receiver.script("/" + id, RecordingReceiver.status(400));
        HttpResponse<String> created =
            client.post(
                "/jobs", "{\"id\":\"" + id + "\",\"url\":\"" + receiver.url("/" + id) + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ids.add(id);
      }
    }
    await("every job failed")
        .atMost(DELIVERY_TIMEOUT)
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        id ->
                            json(client.get("/jobs/" + id))
                                .get("status")
                                .asText()
                                .equals("FAILED")));

    String filter = "{\"createdAfter\":\"" + after + "\"}";
    HttpResponse<String> started =
        client.post("/jobs:replay", filter, "Idempotency-Key", "proxy-sweep");
    HttpResponse<String> again =
        client.post("/jobs:replay", filter, "Idempotency-Key", "proxy-sweep");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String id = json(started).get("id").asText();
    bulkOperation = id;
    assertThat(started.headers().firstValue("Location")).hasValue("/operations/" + id);
    assertThat(json(started).get("shards").size()).isEqualTo(2);
    assertThat(json(again).get("id").asText()).isEqualTo(id);
    await("the operation finished on both shards")
        .atMost(DELIVERY_TIMEOUT)
        .until(
            () -> json(client.get("/operations/" + id)).get("status").asText().equals("SUCCEEDED"));
    JsonNode op = json(client.get("/operations/" + id));
    assertThat(op.get("replayed").asLong()).isEqualTo(20);
    assertThat(op.get("shards").get("shard-0").get("replayed").asLong()).isEqualTo(10);
    assertThat(op.get("shards").get("shard-1").get("replayed").asLong()).isEqualTo(10);
    assertThat(op.has("partial")).isFalse();
    await("every replayed job delivered")
        .atMost(DELIVERY_TIMEOUT)
        .until(() -> ids.stream().allMatch(j -> receiver.deliveries(j).size() == 2));
    assertThat(client.get("/operations/op_" + "0".repeat(32)).statusCode()).isEqualTo(404);
    assertThat(client.post("/jobs:replay", "{\"status\":\"PENDING\"}").statusCode()).isEqualTo(400);
  }

  @Test
  @Order(5)
  void afterAShardIsAddedOldJobsAreStillFoundAndNotDuplicated() {
    // Before: a cluster of shard-0 only. After: shard-1 added in epoch 2.
    ProxyClient before = ProxyClient.of(startProxy(ShardMap.of(List.of(mapEntry(shard0)), null)));
    open.add(before);
    awaitLeadersKnown(before);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String key = "epoch-test-" + i;
      keys.add(key);
      HttpResponse<String> created = before.post("/jobs", job(""), "Idempotency-Key", key);
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(json(created).get("shardId").asText()).isEqualTo("shard-0");
    }

    ProxyClient after =
        ProxyClient.of(
            startProxy(
                ShardMap.of(
                    List.of(mapEntry(shard0), mapEntry(shard1)),
                    List.of(
                        new ShardMap.Epoch(1, List.of("shard-0")),
                        new ShardMap.Epoch(2, List.of("shard-0", "shard-1"))))));
    open.add(after);
    awaitLeadersKnown(after);

    int moved = 0;
    for (String key : keys) {
      String id = JobIds.fromIdempotencyKey(key);
      HttpResponse<String> found = after.get("/jobs/" + id);
      assertThat(found.statusCode()).as("GET %s", id).isEqualTo(200);
      assertThat(json(found).get("shardId").asText()).isEqualTo("shard-0");

      HttpResponse<String> resubmitted = after.post("/jobs", job(""), "Idempotency-Key", key);
      assertThat(resubmitted.statusCode()).as("re-submit %s", key).isEqualTo(200);
      assertThat(json(resubmitted).get("shardId").asText()).isEqualTo("shard-0");
      if (RING.shardFor(id).equals("shard-1")) {
        moved++;
      }
    }
    assertThat(moved).as("keys whose newest-ring shard is the new one").isPositive();
    HttpResponse<String> fresh =
        after.post("/jobs", job(",\"id\":\"" + idOn("shard-1", "new") + "\""));
    assertThat(json(fresh).get("shardId").asText()).isEqualTo("shard-1");
  }

  @Test
  @Order(6)
  void theStatusShowsEveryNodeWithItsRoleAndTheEpochs() {
    JsonNode status = json(client.get("/status"));

    assertThat(status.get("ready").asBoolean()).isTrue();
    assertThat(status.get("epochs")).hasSize(1);
    assertThat(status.at("/epochs/0/epoch").asLong()).isEqualTo(1);
    assertThat(status.at("/epochs/0/shards")).hasSize(2);
    assertThat(status.get("shards")).hasSize(2);
    for (JsonNode shard : status.get("shards")) {
      assertThat(shard.get("nodes")).hasSize(3);
      assertThat(shard.get("reachable").asBoolean()).isTrue();
      long leaders = 0;
      for (JsonNode node : shard.get("nodes")) {
        assertThat(node.get("healthy").asBoolean()).isTrue();
        assertThat(node.get("breaker").asText()).isEqualTo("CLOSED");
        leaders += node.get("role").asText().equals("LEADER") ? 1 : 0;
      }
      assertThat(leaders).isEqualTo(1);
    }
    assertThat(client.get("/metrics").body())
        .contains("shardhook_proxy_forward_seconds_bucket{outcome=\"201\",shard=\"shard-0\"");
  }

  @Test
  @Order(7)
  void losingAShardsLeaderKeepsTheShardServing() {
    int leader = shard0.awaitLeader();
    shard0.stop(leader);
    try {
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> created =
            client.post("/jobs", job(",\"id\":\"" + idOn("shard-0", "failover-" + i) + "\""));

        assertThat(created.statusCode()).as("submit %d", i).isEqualTo(201);
        assertThat(json(created).get("shardId").asText()).isEqualTo("shard-0");
      }
      int newLeader = shard0.awaitLeader();
      await("the proxy follows the new leader")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  json(client.get("/status"))
                      .at("/shards/0/leader")
                      .asText()
                      .equals(shard0.url(newLeader)));
    } finally {
      shard0.start(leader);
    }
  }

  @Test
  @Order(8)
  void aDeadShardAnswers503QuicklyWhileTheOtherGoesOn() {
    String onShard1 = idOn("shard-1", "dead");
    String existing =
        json(client.post("/jobs", job(",\"id\":\"" + onShard1 + "\""))).get("id").asText();
    shard1.close();
    await("the proxy sees shard-1 down")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !json(client.get("/status")).at("/shards/1/reachable").asBoolean());

    long start = System.nanoTime();
    HttpResponse<String> refused =
        client.post("/jobs", job(",\"id\":\"" + idOn("shard-1", "refused") + "\""));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(tookMs).isLessThan(1000);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(client.get("/jobs/" + existing).statusCode()).isEqualTo(503);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> created = client.post("/jobs", job(""));
      assertThat(created.statusCode()).as("fresh job %d", i).isEqualTo(201);
      assertThat(json(created).get("shardId").asText()).isEqualTo("shard-0");
    }
    HttpResponse<String> onShard0 =
        client.post("/jobs", job(",\"id\":\"" + idOn("shard-0", "alive") + "\""));
    assertThat(onShard0.statusCode()).isEqualTo(201);
    assertThat(client.get("/jobs/" + json(onShard0).get("id").asText()).statusCode())
        .isEqualTo(200);
    assertThat(client.get("/ready").statusCode()).isEqualTo(200);
    assertThat(client.get("/health").statusCode()).isEqualTo(200);
    if (bulkOperation != null) {
      HttpResponse<String> op = client.get("/operations/" + bulkOperation);
      assertThat(op.statusCode()).as(op.body()).isEqualTo(200);
      assertThat(json(op).get("partial").toString()).contains("shard-1");
      assertThat(json(op).get("status").asText())
          .as("shard-1's part is unknown")
          .isEqualTo("RUNNING");
      assertThat(json(op).get("replayed").asLong()).isEqualTo(10);
    }
  }
}
