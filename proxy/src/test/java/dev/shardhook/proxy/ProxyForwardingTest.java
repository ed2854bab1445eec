package dev.shardhook.proxy;

import static dev.shardhook.proxy.ProxyClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.api.routing.ShardRing;
import dev.shardhook.proxy.routing.ShardMapSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The proxy against scripted nodes ({@link FakeNode}): what it forwards, what it passes back, and
 * every failure mode it answers itself. Cheap, so each test builds its own cluster.
 */
class ProxyForwardingTest {
  private static final String JOB = "{\"url\":\"http://example.com/hook\"}";

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private FakeNode node(String shard, String nodeId, String role) {
    FakeNode node = FakeNode.start(shard, nodeId, role);
    open.add(node);
    return node;
  }

  private ProxyClient proxy(ShardMap map, UnaryOperator<ProxyConfig.Builder> tune) {
    ProxyServer proxy =
        ProxyServer.start(
            tune.apply(
                    ProxyConfig.builder()
                        .insecureNoAuth(true)
                        .httpHost("127.0.0.1")
                        .httpPort(0)
                        .shardMap(map)
                        .statusInterval(Duration.ofMillis(100))
                        .connectTimeout(Duration.ofMillis(200))
                        .forwardTimeout(Duration.ofSeconds(5)))
                .build());
    open.add(proxy);
    ProxyClient client = ProxyClient.of(proxy);
    open.add(client);
    return client;
  }

  private ProxyClient proxy(String shards) {
    return proxy(ShardMapSource.parse(shards), b -> b);
  }

  private static void awaitLeader(ProxyClient client, int shard, FakeNode leader) {
    await("the proxy learns the leader")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                leader
                    .url()
                    .equals(
                        json(client.get("/status")).at("/shards/" + shard + "/leader").asText()));
  }

  private static String deadUrl() {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void sendsToTheLeaderAndPassesItsAnswerThroughUnchanged() {
    FakeNode a = node("s", "a", "FOLLOWER");
    FakeNode b = node("s", "b", "LEADER");
    ProxyClient client = proxy("s=" + a.url() + "," + b.url());
    awaitLeader(client, 0, b);
    b.script(
        FakeNode.json(
            200,
            "{\"id\":\"idk-x\",\"status\":\"PENDING\"}",
            "Location",
            "/jobs/idk-x",
            "Idempotent-Replayed",
            "true",
            "X-Internal",
            "secret"));

    HttpResponse<String> answer =
        client.post(
            "/jobs",
            "{\"url\":\"http://example.com\", \"retry\":{\"multiplier\":2.50}}",
            "Idempotency-Key",
            "order-7");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"id\":\"idk-x\",\"status\":\"PENDING\"}");
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(answer.headers().firstValue("Location")).hasValue("/jobs/idk-x");
    assertThat(answer.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(answer.headers().firstValue("X-Internal")).isEmpty();
    assertThat(a.jobRequests()).isEmpty();
    RecordedRequest forwarded = b.jobRequests().get(0);
    assertThat(forwarded.getHeaders().get("Idempotency-Key")).isEqualTo("order-7");
    assertThat(forwarded.getBody().utf8())
        .as("a keyed job's body goes on byte for byte")
        .isEqualTo("{\"url\":\"http://example.com\", \"retry\":{\"multiplier\":2.50}}");
  }

  @Test
  void writesTheIdItPicksIntoTheForwardedBody() {
    FakeNode a = node("s", "a", "LEADER");
    ProxyClient client = proxy("s=" + a.url());

    HttpResponse<String> answer =
        client.post("/jobs", "{\"url\":\"http://example.com\",\"retry\":{\"multiplier\":2.50}}");

    assertThat(answer.statusCode()).isEqualTo(201);
    JsonNode forwarded = FakeNode.body(a.jobRequests().get(0));
    String id = forwarded.get("id").asText();
    assertThat(JobIds.isValid(id)).isTrue();
    assertThat(UUID.fromString(id).version()).isEqualTo(7);
    assertThat(forwarded.at("/retry/multiplier").decimalValue()).isEqualByComparingTo("2.50");
    assertThat(a.jobRequests().get(0).getBody().utf8()).contains("2.50");
    assertThat(json(answer).get("id").asText()).isEqualTo(id);
  }

  @Test
  void aSecondNodeGetsTheSameIdAfterA503() {
    FakeNode leader = node("s", "a", "LEADER");
    FakeNode follower = node("s", "b", "FOLLOWER");
    ProxyClient client = proxy("s=" + leader.url() + "," + follower.url());
    awaitLeader(client, 0, leader);
    leader.script(FakeNode.problem(503, "no leader"));

    HttpResponse<String> answer = client.post("/jobs", JOB);

    assertThat(answer.statusCode()).isEqualTo(201);
    String firstId = FakeNode.body(leader.jobRequests().get(0)).get("id").asText();
    String secondId = FakeNode.body(follower.jobRequests().get(0)).get("id").asText();
    assertThat(secondId).as("a replay, not a second job").isEqualTo(firstId);
    assertThat(json(answer).get("id").asText()).isEqualTo(firstId);
  }

  @Test
  void aStalledFollowerIsMarkedDownAndGetsNoRequests() {
    FakeNode leader = node("s", "a", "LEADER");
    FakeNode follower = node("s", "b", "FOLLOWER");
    follower.stalled(true);
    ProxyClient client = proxy("s=" + follower.url() + "," + leader.url());
    await()
        .until(
            () ->
                json(client.get("/status")).at("/shards/0/nodes/0/health").asText().equals("DOWN"));
    assertThat(json(client.get("/status")).at("/shards/0/nodes/0/error").asText())
        .contains("stalled");

    follower.stalled(false);
    await().until(() -> json(client.get("/status")).at("/shards/0/nodes/0/healthy").asBoolean());
  }

  @Test
  void aLeaderThatStoppedAcceptingIsPassedOverAndMarkedDown() {
    FakeNode leader = node("s", "a", "LEADER");
    FakeNode follower = node("s", "b", "FOLLOWER");
    // Polls too rare to notice the stop: only the forward can.
    ProxyClient client =
        proxy(
            ShardMapSource.parse("s=" + leader.url() + "," + follower.url()),
            b -> b.statusInterval(Duration.ofMinutes(10)));
    awaitLeader(client, 0, leader);
    await().until(() -> json(client.get("/status")).at("/shards/0/nodes/1/healthy").asBoolean());
    leader.close();

    HttpResponse<String> answer = client.post("/jobs", JOB, "Idempotency-Key", "k");

    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(follower.jobRequests()).hasSize(1);
    JsonNode status = json(client.get("/status"));
    assertThat(status.at("/shards/0/nodes/0/health").asText()).isEqualTo("DOWN");
    assertThat(status.at("/shards/0/nodes/0/error").asText()).isNotEmpty();
    assertThat(status.at("/shards/0/reachable").asBoolean()).isTrue();
  }

  @Test
  void passesA503ThroughWhenEveryNodeSaysIt() {
    FakeNode a = node("s", "a", "FOLLOWER");
    ProxyClient client = proxy("s=" + a.url());
    a.script(FakeNode.problem(503, "the shard has no leader"));

    HttpResponse<String> answer = client.post("/jobs", JOB, "Idempotency-Key", "k");

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(answer).get("detail").asText()).isEqualTo("the shard has no leader");
  }

  @ParameterizedTest(name = "{0} {1} {3} -> {4}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      nullValues = "NULL",
      textBlock =
          """
          POST   | /jobs          | application/json | not json             | 400 | invalid-job        | malformed JSON at line 1
          POST   | /jobs          | application/json | ``                   | 400 | invalid-job        | request body: empty; expected JSON
          POST   | /jobs          | application/json | [1,2]                | 400 | invalid-job        | request body: expected a JSON object
          POST   | /jobs          | application/json | {"id":"a b"}         | 400 | invalid-job        | id: must match
          POST   | /jobs          | application/json | {"idempotencyKey":{}} | 400 | invalid-job       | idempotencyKey: expected a string
          POST   | /jobs          | application/json | {} {}                | 400 | invalid-job        | Trailing token
          POST   | /jobs          | text/plain       | {}                   | 415 | unsupported-media-type | Content-Type must be application/json
          POST   | /jobs:batch    | application/json | {}                   | 400 | invalid-job        | request body: expected a JSON array of job requests
          POST   | /jobs:batch    | application/json | []                   | 400 | invalid-job        | request body: 0 job requests; a batch holds 1 to 1000
          GET    | /jobs/a%20b    | NULL             | ``                   | 404 | job-not-found      | no job with id 'a%20b'
          GET    | /nowhere       | NULL             | ``                   | 404 | not-found          | no resource at /nowhere
          PUT    | /jobs          | application/json | {}                   | 405 | method-not-allowed | PUT is not allowed here; allowed: GET, HEAD, POST
          DELETE | /status        | NULL             | ``                   | 405 | method-not-allowed | allowed: GET, HEAD
          """)
  void refusesBadRequestsItselfAsTheNodeWould(
      String method,
      String path,
      String contentType,
      String body,
      int status,
      String type,
      String detail) {
    FakeNode a = node("s", "a", "LEADER");
    ProxyClient client = proxy("s=" + a.url());

    HttpResponse<String> answer = client.send(method, path, contentType, body == null ? "" : body);

    assertThat(answer.statusCode()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = json(answer);
    assertThat(problem.get("type").asText()).isEqualTo("https://shardhook.dev/problems/" + type);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asText()).contains(detail);
    if (status == 405) {
      assertThat(answer.headers().firstValue("Allow")).isPresent();
    }
    assertThat(a.jobRequests()).as("nothing forwarded").isEmpty();
  }

  @Test
  void refusesOversizedBodiesAndBatchesWithoutForwarding() {
    FakeNode a = node("s", "a", "LEADER");
    ProxyClient client = proxy(ShardMapSource.parse("s=" + a.url()), b -> b.maxRequestBytes(4096));
    String tooLarge = "{\"url\":\"http://x\",\"body\":\"" + "x".repeat(5000) + "\"}";
    String tooMany = IntStream.range(0, 1001).mapToObj(i -> "{}").toList().toString();

    HttpResponse<String> large = client.post("/jobs", tooLarge);
    HttpResponse<String> many =
        proxy(ShardMapSource.parse("s=" + a.url()), b -> b).post("/jobs:batch", tooMany);

    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(json(large).get("type").asText()).endsWith("/payload-too-large");
    assertThat(many.statusCode()).isEqualTo(400);
    assertThat(json(many).get("detail").asText())
        .isEqualTo("request body: 1001 job requests; a batch holds 1 to 1000");
    assertThat(a.jobRequests()).isEmpty();
  }

  @Test
  void aShardWithNoReachableNodeAnswers503AtOnceAndTheProxyStaysAlive() {
    ProxyClient client = proxy("s=" + deadUrl() + "," + deadUrl() + "," + deadUrl());
    await("the poller finds every node down")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !json(client.get("/status")).at("/shards/0/nodes/2/error").isMissingNode());

    long start = System.nanoTime();
    HttpResponse<String> answer = client.post("/jobs", JOB, "Idempotency-Key", "k");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(tookMs).isLessThan(1000);
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(answer).get("type").asText()).endsWith("/shard-unavailable");
    assertThat(client.get("/jobs/some-id").statusCode()).isEqualTo(503);
    assertThat(client.get("/health").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = client.get("/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(ready).get("detail").asText()).contains("no node of any shard is reachable");
    JsonNode status = json(client.get("/status"));
    assertThat(status.get("ready").asBoolean()).isFalse();
    assertThat(status.at("/shards/0/nodes")).hasSize(3);
    assertThat(status.at("/shards/0/nodes/0/health").asText()).isEqualTo("DOWN");
    assertThat(status.at("/shards/0/nodes/0/healthy").asBoolean()).isFalse();
  }

  @Test
  void aNodeAnsweringSomethingElseIs502() {
    FakeNode a = node("s", "a", "LEADER");
    ProxyClient client = proxy("s=" + a.url());
    a.script(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "text/html")
            .body("<html>hello</html>")
            .build());

    HttpResponse<String> answer = client.post("/jobs", JOB, "Idempotency-Key", "k");

    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(json(answer).get("type").asText()).endsWith("/bad-gateway");
    assertThat(json(answer).get("detail").asText()).contains("text/html");
  }

  @Test
  void aShardSlowerThanTheForwardTimeoutIs504() {
    FakeNode a = node("s", "a", "LEADER");
    ProxyClient client =
        proxy(
            ShardMapSource.parse("s=" + a.url()),
            b -> b.forwardTimeout(Duration.ofMillis(300)).connectTimeout(Duration.ofMillis(100)));
    a.script(
        new MockResponse.Builder()
            .code(201)
            .addHeader("Content-Type", "application/json")
            .body("{}")
            .headersDelay(3, TimeUnit.SECONDS)
            .build());

    long start = System.nanoTime();
    HttpResponse<String> answer = client.post("/jobs", JOB, "Idempotency-Key", "k");

    assertThat(answer.statusCode()).isEqualTo(504);
    assertThat(json(answer).get("type").asText()).endsWith("/gateway-timeout");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2500);
  }

  @Test
  void freshIdsAvoidAShardThatCannotBeReached() {
    FakeNode alive = node("alive", "a", "LEADER");
    ProxyClient client = proxy("alive=" + alive.url() + ";dead=" + deadUrl());
    ShardRing ring = ShardRing.of(List.of("alive", "dead"));

    for (int i = 0; i < 20; i++) {
      HttpResponse<String> answer = client.post("/jobs", JOB);

      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(ring.shardFor(json(answer).get("id").asText())).isEqualTo("alive");
    }
    assertThat(alive.jobRequests()).hasSize(20);
  }

  @Test
  void aBatchIsSplitByShardAndAnsweredInRequestOrder() {
    FakeNode s0 = node("s0", "a", "LEADER");
    ProxyClient client = proxy("s0=" + s0.url() + ";s1=" + deadUrl());
    ShardRing ring = ShardRing.of(List.of("s0", "s1"));
    await("s1 is known to be down")
        .until(
            () ->
                json(client.get("/status")).at("/shards/1/nodes/0/health").asText().equals("DOWN"));
    String onS0 = idOn(ring, "s0");
    String onS1 = idOn(ring, "s1");
    String batch =
        "[{\"url\":\"http://x\",\"id\":\""
            + onS1
            + "\"},"
            + "{\"url\":\"http://x\"},"
            + "{\"url\":\"http://x\",\"id\":\"bad id\"},"
            + "7,"
            + "{\"url\":\"http://x\",\"id\":\""
            + onS0
            + "\"}]";

    HttpResponse<String> answer = client.post("/jobs:batch", batch);

    assertThat(answer.statusCode()).isEqualTo(207);
    JsonNode results = json(answer);
    assertThat(results).hasSize(5);
    assertThat(results.get(0).get("status").asInt()).isEqualTo(503);
    assertThat(results.get(0).at("/problem/type").asText()).endsWith("/shard-unavailable");
    assertThat(results.get(1).get("status").asInt()).isEqualTo(201);
    assertThat(ring.shardFor(results.get(1).at("/job/id").asText())).isEqualTo("s0");
    assertThat(results.get(2).get("status").asInt()).isEqualTo(400);
    assertThat(results.get(2).at("/problem/detail").asText()).startsWith("id: must match");
    assertThat(results.get(3).at("/problem/detail").asText())
        .isEqualTo("request body: expected a JSON object");
    assertThat(results.get(4).at("/job/id").asText()).isEqualTo(onS0);
    assertThat(s0.jobRequests()).hasSize(1);
    JsonNode subBatch = FakeNode.body(s0.jobRequests().get(0));
    assertThat(subBatch).hasSize(2);
    assertThat(subBatch.get(1).get("id").asText()).isEqualTo(onS0);
  }

  @Test
  void aShardThatRefusesItsSubBatchSharesItsProblemWithEachItem() {
    FakeNode s0 = node("s0", "a", "LEADER");
    ProxyClient client = proxy("s0=" + s0.url());
    s0.script(FakeNode.problem(503, "no leader"));

    HttpResponse<String> answer =
        client.post("/jobs:batch", "[{\"url\":\"http://x\",\"id\":\"a\"},{\"id\":\"b\"}]");

    assertThat(answer.statusCode()).isEqualTo(207);
    assertThat(json(answer))
        .allSatisfy(
            r -> {
              assertThat(r.get("status").asInt()).isEqualTo(503);
              assertThat(r.at("/problem/detail").asText()).isEqualTo("no leader");
            });
  }

  @Test
  void lookupsAndResubmissionsFindJobsOnTheShardOfAnOlderEpoch() {
    FakeNode old = node("old", "a", "LEADER");
    FakeNode added = node("new", "b", "LEADER");
    ShardMap map =
        ShardMap.of(
            List.of(
                new ShardMap.Shard("old", List.of(java.net.URI.create(old.url()))),
                new ShardMap.Shard("new", List.of(java.net.URI.create(added.url())))),
            List.of(
                new ShardMap.Epoch(1, List.of("old")),
                new ShardMap.Epoch(2, List.of("old", "new"))));
    ProxyClient client = proxy(map, b -> b);
    String movedId = idOn(ShardRing.of(List.of("old", "new")), "new");
    added.otherwise(r -> FakeNode.problem(404, "no job"));
    old.otherwise(
        r ->
            r.getMethod().equals("GET")
                ? FakeNode.json(200, "{\"id\":\"" + movedId + "\",\"shardId\":\"old\"}")
                : FakeNode.json(
                    200, "{\"id\":\"" + movedId + "\"}", "Idempotent-Replayed", "true"));

    HttpResponse<String> found = client.get("/jobs/" + movedId);
    HttpResponse<String> resubmitted =
        client.post("/jobs", "{\"url\":\"http://x\",\"id\":\"" + movedId + "\"}");

    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(json(found).get("shardId").asText()).isEqualTo("old");
    assertThat(added.jobRequests()).extracting(RecordedRequest::getMethod).containsExactly("GET");
    assertThat(resubmitted.statusCode()).isEqualTo(200);
    assertThat(resubmitted.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(old.jobRequests())
        .extracting(RecordedRequest::getMethod)
        .containsExactly("GET", "GET", "POST");
  }

  @Test
  void countsRequestsForwardsAndFailedPollsInPrometheusText() {
    FakeNode a = node("s", "a", "LEADER");
    ProxyClient client = proxy("s=" + a.url() + "," + deadUrl());
    client.post("/jobs", JOB);
    client.get("/nowhere");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> client.get("/metrics").body().contains("shardhook_proxy_status_poll_failures"));

    String metrics = client.get("/metrics").body();

    assertThat(metrics)
        .contains(
            "shardhook_proxy_requests_total{method=\"POST\",route=\"/jobs\",status=\"201\"} 1.0")
        .contains(
            "shardhook_proxy_requests_total{method=\"GET\",route=\"unknown\",status=\"404\"} 1.0")
        .contains("shardhook_proxy_forward_seconds_bucket{outcome=\"201\",shard=\"s\"")
        .contains("shardhook_proxy_node_up{node=\"" + a.url() + "\",shard=\"s\"} 1.0")
        .contains("shardhook_proxy_shard_reachable{shard=\"s\"} 1.0");
  }

  /** An id the ring places on {@code shard}. */
  private static String idOn(ShardRing ring, String shard) {
    for (int i = 0; ; i++) {
      String id = "job-" + i;
      if (ring.shardFor(id).equals(shard)) {
        return id;
      }
    }
  }
}
