package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of generated, schema-valid but extreme requests against a real three-node shard: none
 * may be answered with a 5xx, none may stop the state machine, and afterwards a plain job is still
 * accepted and delivered on a shard whose every node is healthy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTest extends ShardFixture {
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @TempDir static Path dir;

  @BeforeAll
  void start() {
    shard = TestShard.start(dir, b -> b.workers(32));
  }

  @Test
  void aRunAtThreeHundredMillionYearsAgoIsDeliveredAtOnceAndTheShardGoesOn() {
    String body =
        "{\"id\":\"ancient\",\"url\":\""
            + receiver.url("/ancient")
            + "\",\"runAt\":\"-300000000-01-01T00:00:00Z\"}";
    HttpResponse<String> created = client.post(leaderUrl() + "/jobs", body);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

    await()
        .atMost(DELIVERY_TIMEOUT)
        .until(() -> client.job(leaderUrl(), "ancient").status() == JobStatus.SUCCEEDED);
    assertPlainJobIsDelivered("after-ancient");
  }

  @Test
  void generatedExtremeRequestsNeverGetA5xxNorStopTheShard() {
    Random random = new Random(9);
    int answered = 0;
    int created = 0;
    for (int round = 0; round < 4; round++) {
      ArrayNode batch = F.arrayNode();
      for (int i = 0; i < 500; i++) {
        batch.add(randomJob(random, "g" + round + "-" + i));
      }
      HttpResponse<String> r = client.post(leaderUrl() + "/jobs:batch", batch.toString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      for (JsonNode item : NodeClient.tree(r.body())) {
        assertThat(item.get("status").asInt()).as(item.toString()).isLessThan(500);
        answered++;
        created += item.get("status").asInt() == 201 ? 1 : 0;
      }
    }
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> r =
          client.post(leaderUrl() + "/jobs", randomJob(random, "s-" + i).toString());
      assertThat(r.statusCode()).as(r.body()).isLessThan(500);
      answered++;
    }
    assertThat(answered).isEqualTo(2_200);
    // Both sides of the edge were exercised: many extreme values are in range, many are not.
    assertThat(created).isBetween(200, 1_800);

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> health = client.get(shard.url(i) + "/health");
      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    }
    assertPlainJobIsDelivered("after-generated");
  }

  private void assertPlainJobIsDelivered(String id) {
    HttpResponse<String> r =
        client.post(
            leaderUrl() + "/jobs",
            "{\"id\":\"" + id + "\",\"url\":\"" + receiver.url("/p") + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    await()
        .atMost(DELIVERY_TIMEOUT)
        .until(() -> client.job(leaderUrl(), id).status() == JobStatus.SUCCEEDED);
    await().atMost(DELIVERY_TIMEOUT).until(() -> !receiver.deliveries(id).isEmpty());
    for (int i = 0; i < 3; i++) {
      int node = i;
      await()
          .atMost(DELIVERY_TIMEOUT)
          .until(() -> client.job(shard.url(node), id).status() == JobStatus.SUCCEEDED);
    }
  }

  /**
   * A request every field of which is syntactically what the schema allows, with values drawn
   * around and far beyond every limit: times from year -300000000 to +300000000, longs and ints at
   * their extremes, multipliers, zero and negative numbers.
   */
  private ObjectNode randomJob(Random random, String id) {
    ObjectNode job = F.objectNode();
    job.put("id", id);
    job.put("url", receiver.url("/g/" + id));
    if (random.nextInt(4) == 0) {
      job.put("method", pick(random, List.of("POST", "GET", "PUT", "PATCH", "DELETE", "get")));
    }
    switch (random.nextInt(4)) {
      case 0 -> job.put("runAt", randomTime(random));
      case 1 -> job.put("delayMs", randomLong(random));
      case 2 -> {
        job.put("runAt", randomTime(random));
        job.put("delayMs", randomLong(random));
      }
      default -> {}
    }
    if (random.nextBoolean()) {
      job.put("timeoutMs", randomLong(random));
    }
    if (random.nextBoolean()) {
      ObjectNode retry = job.putObject("retry");
      if (random.nextBoolean()) {
        retry.put("maxAttempts", randomInt(random));
      }
      if (random.nextBoolean()) {
        retry.put("initialBackoffMs", randomLong(random));
      }
      if (random.nextBoolean()) {
        retry.put("maxBackoffMs", randomLong(random));
      }
      if (random.nextBoolean()) {
        retry.put(
            "multiplier",
            pick(random, List.of(0.0, 1.0, 1.5, 10.0, 10.000001, -1.0, 1e308, Double.MIN_VALUE)));
      }
      if (random.nextBoolean()) {
        retry.put("maxRetryDurationMs", randomLong(random));
      }
    }
    if (random.nextInt(3) == 0) {
      job.put("idempotencyKey", "k-" + random.nextInt(300));
    }
    if (random.nextInt(3) == 0) {
      job.putObject("headers").put("X-N", Long.toString(randomLong(random)));
    }
    return job;
  }

  private static long randomLong(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> Long.MAX_VALUE;
      case 1 -> Long.MIN_VALUE;
      case 2 -> 0;
      case 3 -> -1;
      case 4 -> random.nextLong();
      default -> random.nextInt(2_000);
    };
  }

  private static int randomInt(Random random) {
    return pick(random, List.of(Integer.MAX_VALUE, Integer.MIN_VALUE, 0, -1, 1, 100, 101, 7));
  }

  private static String randomTime(Random random) {
    return pick(
        random,
        List.of(
            "-300000000-01-01T00:00:00Z",
            "+300000000-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2026-11-26T10:00:00Z",
            "2027-06-01T00:00:00+14:00",
            "9999-12-31T23:59:59Z"));
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
