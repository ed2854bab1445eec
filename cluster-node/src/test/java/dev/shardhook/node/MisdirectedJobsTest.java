package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.node.testing.TestShard;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real shard started with a two-epoch shard map: it is "shard-u", added to "shard-t" by epoch 2.
 * Ids the newest ring puts on shard-t were never shard-u's (epoch 1 put everything on shard-t), so
 * this shard refuses them with 421, as the proxies would never look for them here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MisdirectedJobsTest {
  private static final String HERE = "shard-u";
  private static final String OTHER = "shard-t";
  private static final ShardRing NEWEST = ShardRing.of(List.of(OTHER, HERE));
  // Far ahead: nothing here is meant to be delivered.
  private static final String LATER = "\"url\": \"http://127.0.0.1:9/hook\", \"delayMs\": 3600000";

  @TempDir static Path dir;

  private final NodeClient http = new NodeClient();
  private TestShard shard;
  private String url;

  @BeforeAll
  void start() throws IOException {
    Path map =
        Files.writeString(
            dir.resolve("shards.json"),
            """
            {"shards": [{"id": "shard-t", "nodes": ["http://10.0.0.1:8080"]},
                        {"id": "shard-u", "nodes": ["http://10.0.0.2:8080"]}],
             "epochs": [{"epoch": 1, "shards": ["shard-t"]},
                        {"epoch": 2, "shards": ["shard-t", "shard-u"]}]}
            """);
    shard = TestShard.start(dir, b -> b.shardId(HERE).shardMap(map));
    url = shard.url(shard.awaitLeader());
  }

  @AfterAll
  void stop() {
    http.close();
    if (shard != null) {
      shard.close();
    }
  }

  @Test
  void anIdOfThisShardIsCreatedAndOneOfTheOtherShardIsMisdirected() {
    String own = id(HERE);
    String other = id(OTHER);

    HttpResponse<String> created = http.post(url + "/jobs", job(own));
    HttpResponse<String> refused = http.post(url + "/jobs", job(other));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertMisdirected(refused, other);
    assertThat(http.get(url + "/jobs/" + other).statusCode())
        .as("not a job of this shard: nothing was stored")
        .isEqualTo(421);
  }

  @Test
  void anIdempotencyKeyWhoseIdIsAnotherShardsIsMisdirected() {
    String key = keyLandingOn(OTHER);

    HttpResponse<String> refused =
        http.post(url + "/jobs", "{" + LATER + "}", "Idempotency-Key", key);

    assertMisdirected(refused, JobIds.fromIdempotencyKey(key));
  }

  @Test
  void generatedIdsAlwaysLandOnThisShard() {
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> created = http.post(url + "/jobs", "{" + LATER + "}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = NodeClient.tree(created.body()).path("id").asText();
      assertThat(NEWEST.shardFor(id)).as(id).isEqualTo(HERE);
    }
  }

  @Test
  void aBatchAnswersEachItemOnItsOwn() {
    String own = id(HERE);
    String other = id(OTHER);

    HttpResponse<String> r =
        http.post(url + "/jobs:batch", "[" + job(own) + ", " + job(other) + ", {" + LATER + "}]");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    JsonNode items = NodeClient.tree(r.body());
    assertThat(items.get(0).path("status").asInt()).isEqualTo(201);
    assertThat(items.get(1).path("status").asInt()).isEqualTo(421);
    assertThat(items.get(1).path("problem").path("type").asText()).endsWith("/misdirected");
    assertThat(items.get(1).path("problem").path("detail").asText())
        .contains(other)
        .contains(HERE)
        .contains(OTHER);
    assertThat(items.get(2).path("status").asInt()).isEqualTo(201);
    assertThat(NEWEST.shardFor(items.get(2).path("job").path("id").asText())).isEqualTo(HERE);
  }

  @Test
  void lookupsAndCancelsOfAnotherShardsIdAreMisdirectedNotNotFound() {
    String other = id(OTHER);
    String ownUnknown = id(HERE);

    assertMisdirected(http.get(url + "/jobs/" + other), other);
    assertMisdirected(http.send("DELETE", url + "/jobs/" + other), other);
    assertThat(http.get(url + "/jobs/" + ownUnknown).statusCode()).isEqualTo(404);
  }

  private static void assertMisdirected(HttpResponse<String> r, String id) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(421);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = NodeClient.tree(r.body());
    assertThat(problem.path("type").asText()).endsWith("/misdirected");
    assertThat(problem.path("status").asInt()).isEqualTo(421);
    assertThat(problem.path("detail").asText())
        .contains("'" + id + "'")
        .contains("this shard '" + HERE + "'")
        .contains("shard '" + OTHER + "' owns it");
  }

  private static String job(String id) {
    return "{\"id\": \"" + id + "\", " + LATER + "}";
  }

  private static String id(String shard) {
    return IntStream.range(0, 10_000)
        .mapToObj(i -> "job-" + UUID.randomUUID())
        .filter(id -> NEWEST.shardFor(id).equals(shard))
        .findFirst()
        .orElseThrow();
  }

  private static String keyLandingOn(String shard) {
    return IntStream.range(0, 10_000)
        .mapToObj(i -> "key-" + UUID.randomUUID())
        .filter(k -> NEWEST.shardFor(JobIds.fromIdempotencyKey(k)).equals(shard))
        .findFirst()
        .orElseThrow();
  }
}
