package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.node.testing.TenantsFixture;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /jobs} on a real three-node shard with two tenants: pages that stay stable while jobs
 * arrive, on the leader and on followers; filters; tenant scoping; bad parameters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobListingTest {
  private static final String A = TenantsFixture.newKey();
  private static final String A_READ = TenantsFixture.newKey();
  private static final String B = TenantsFixture.newKey();
  // Never due while the test runs: jobs stay PENDING unless cancelled, and nothing is delivered.
  private static final long HOUR_MS = 3_600_000;

  @TempDir static Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestShard shard;
  private final List<String> createdOfA = new ArrayList<>();

  @BeforeAll
  void start() {
    Path tenants = dir.resolve("tenants.json");
    TenantsFixture.write(
        tenants,
        """
        {"tenants": {
          "a": {"keys": [%s, %s]},
          "b": {"keys": [%s]}
        }}
        """
            .formatted(
                TenantsFixture.keyEntry("a-submit", A, "submit"),
                TenantsFixture.keyEntry("a-read", A_READ, "read"),
                TenantsFixture.keyEntry("b-submit", B, "submit")));
    shard = TestShard.start(dir, b -> b.insecureNoAuth(false).tenantsFile(tenants));
    // 250 jobs of tenant a in three batches, every fifth on another host, every tenth with a key.
    for (int from = 0; from < 250; from += 100) {
      submit(A, IntStream.range(from, Math.min(from + 100, 250)).mapToObj(i -> jobOfA(i)).toList());
    }
    // Tenant b uses the same ids: they are another tenant's jobs.
    submit(B, IntStream.range(0, 20).mapToObj(i -> jobOfA(i)).toList());
  }

  @AfterAll
  void stop() {
    http.close();
    if (shard != null) {
      shard.close();
    }
  }

  private String jobOfA(int i) {
    String id = "j-%04d".formatted(i);
    String host = i % 5 == 0 ? "localhost" : "127.0.0.1";
    String key = i % 10 == 0 ? ",\"idempotencyKey\":\"key-" + i + "\"" : "";
    return "{\"id\":\"%s\",\"url\":\"http://%s:9/hook\",\"delayMs\":%d%s}"
        .formatted(id, host, HOUR_MS, key);
  }

  private void submit(String key, List<String> jobs) {
    HttpResponse<String> r =
        send(
            key,
            HttpRequest.newBuilder(URI.create(shard.url(shard.awaitLeader()) + "/jobs:batch"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("[" + String.join(",", jobs) + "]")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    for (JsonNode item : NodeClient.tree(r.body())) {
      assertThat(item.get("status").asInt()).as(item.toString()).isEqualTo(201);
      if (key.equals(A)) {
        createdOfA.add(item.get("job").get("id").asText());
      }
    }
  }

  private HttpResponse<String> list(String key, int node, String query) {
    return send(key, HttpRequest.newBuilder(URI.create(shard.url(node) + "/jobs" + query)).GET());
  }

  private JsonNode listOk(String key, int node, String query) {
    HttpResponse<String> r = list(key, node, query);
    assertThat(r.statusCode()).as(query + " -> " + r.body()).isEqualTo(200);
    return NodeClient.tree(r.body());
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("jobs").forEach(j -> out.add(j.get("id").asText()));
    return out;
  }

  private HttpResponse<String> send(String key, HttpRequest.Builder request) {
    try {
      return http.send(
          request.header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).build(),
          BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void pagesMissAndRepeatNothingWhileJobsArriveOnLeaderAndFollowers() {
    List<String> initial = List.copyOf(createdOfA);
    List<String> seen = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    String cursor = null;
    int page = 0;
    do {
      // Alternate between the nodes: followers answer from their applied state after ReadIndex.
      JsonNode body =
          listOk(A_READ, page % 3, "?limit=40" + (cursor == null ? "" : "&cursor=" + cursor));
      body.get("jobs").forEach(j -> times.add(Instant.parse(j.get("createdAt").asText())));
      seen.addAll(ids(body));
      cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
      int arriving = page;
      submit(A, IntStream.range(0, 5).mapToObj(i -> jobOfA(1000 + arriving * 5 + i)).toList());
      page++;
    } while (cursor != null);

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(initial);
    assertThat(page).isEqualTo(7);
    assertThat(times).isSortedAccordingTo((x, y) -> y.compareTo(x));
    // Inside one millisecond (one batch entry), newest first means the greater id first.
    assertThat(seen.subList(0, 50)).isSortedAccordingTo((x, y) -> y.compareTo(x));
  }

  @Test
  void filtersByStatusHostKeyAndTime() {
    int leader = shard.awaitLeader();
    int follower = shard.follower(leader);
    for (String id : List.of("j-0003", "j-0004", "j-0005")) {
      HttpResponse<String> r =
          send(A, HttpRequest.newBuilder(URI.create(shard.url(leader) + "/jobs/" + id)).DELETE());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    assertThat(ids(listOk(A_READ, follower, "?status=CANCELLED")))
        .containsExactly("j-0005", "j-0004", "j-0003");
    assertThat(ids(listOk(A_READ, leader, "?status=CANCELLED&host=LOCALHOST")))
        .containsExactly("j-0005");
    assertThat(ids(listOk(A_READ, leader, "?status=RUNNING"))).isEmpty();
    assertThat(ids(listOk(A_READ, leader, "?status=SUCCEEDED"))).isEmpty();

    JsonNode onLocalhost = listOk(A_READ, follower, "?host=localhost&limit=1000");
    assertThat(ids(onLocalhost))
        .isNotEmpty()
        .allMatch(id -> Integer.parseInt(id.substring(2)) % 5 == 0);
    onLocalhost
        .get("jobs")
        .forEach(j -> assertThat(j.get("url").asText()).startsWith("http://localhost:"));
    assertThat(onLocalhost.get("nextCursor").isNull()).isTrue();

    JsonNode byKey = listOk(A_READ, leader, "?idempotencyKey=key-20");
    assertThat(ids(byKey)).containsExactly("j-0020");
    assertThat(byKey.get("nextCursor").isNull()).isTrue();
    assertThat(ids(listOk(A_READ, leader, "?idempotencyKey=key-20&status=CANCELLED"))).isEmpty();
    assertThat(ids(listOk(A_READ, leader, "?idempotencyKey=nobody"))).isEmpty();

    // The first batch's jobs share a creation time: bounds around it select exactly that batch.
    Instant first =
        Instant.parse(
            NodeClient.tree(
                    send(
                            A_READ,
                            HttpRequest.newBuilder(URI.create(shard.url(leader) + "/jobs/j-0000")))
                        .body())
                .get("createdAt")
                .asText());
    String window =
        "?limit=1000&createdAfter="
            + enc(first.minusMillis(1).toString())
            + "&createdBefore="
            + enc(first.plusMillis(1).toString());
    List<String> firstBatch = ids(listOk(A_READ, leader, window));
    assertThat(firstBatch).hasSize(100).contains("j-0000", "j-0099").doesNotContain("j-0100");
  }

  @Test
  void eachTenantListsOnlyItsOwnJobs() {
    JsonNode ofB = listOk(B, 0, "?limit=1000");
    assertThat(ids(ofB))
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 20).mapToObj("j-%04d"::formatted).toList());
    assertThat(ofB.get("nextCursor").isNull()).isTrue();
    Set<String> ofA = new HashSet<>();
    String cursor = null;
    do {
      JsonNode page = listOk(A, 1, "?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
      ofA.addAll(ids(page));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    assertThat(ofA).containsAll(createdOfA).hasSize(createdOfA.size());
    // A cursor of tenant a gives tenant b nothing of a's.
    String cursorOfA = listOk(A, 0, "?limit=1").get("nextCursor").asText();
    JsonNode seenByB = listOk(B, 0, "?limit=1000&cursor=" + cursorOfA);
    assertThat(ids(seenByB)).allMatch(id -> Integer.parseInt(id.substring(2)) < 20);
  }

  @Test
  void badParametersAre400Problems() {
    String cursor = listOk(A, 0, "?limit=1&status=PENDING").get("nextCursor").asText();
    for (String query :
        List.of(
            "?status=pending-ish",
            "?status=%C3%28",
            "?limit=0",
            "?limit=1001",
            "?limit=ten",
            "?createdAfter=yesterday",
            "?createdBefore=2026-13-01T00:00:00Z",
            "?cursor=not-a-cursor!",
            "?cursor=" + cursor.substring(0, cursor.length() - 4),
            "?cursor=" + cursor + "&status=FAILED",
            "?cursor=" + cursor + "&idempotencyKey=key-20",
            "?host=")) {
      HttpResponse<String> r = list(A, 0, query);
      assertThat(r.statusCode()).as(query + " -> " + r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    // The cursor's own filter, repeated, is fine.
    assertThat(list(A, 0, "?cursor=" + cursor + "&status=PENDING").statusCode()).isEqualTo(200);
    assertThat(list(A, 0, "?limit=1000").statusCode()).isEqualTo(200);
    assertThat(list(null, 0, "").statusCode()).isEqualTo(401);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
