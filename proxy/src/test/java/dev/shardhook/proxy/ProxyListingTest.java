package dev.shardhook.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.node.testing.TenantsFixture;
import dev.shardhook.node.testing.TestShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /jobs} through a real proxy in front of three real three-node shards with two tenants:
 * merged paging that misses and repeats nothing while jobs keep arriving, filters, tenant scoping,
 * bad parameters, and a shard that is down (partial pages, its jobs listed once it is back). The
 * test that stops a shard runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyListingTest {
  private static final String A = TenantsFixture.newKey();
  private static final String A_READ = TenantsFixture.newKey();
  private static final String B = TenantsFixture.newKey();
  // Never due while the test runs: jobs stay PENDING unless cancelled, and nothing is delivered.
  private static final long HOUR_MS = 3_600_000;
  private static final int JOBS_OF_A = 200;
  private static final int JOBS_OF_B = 30;
  // Keeps every job of tenant a within one page of 1000.
  private static final int MAX_ARRIVALS = 400;

  @TempDir static Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<TestShard> shards = new ArrayList<>();
  private final List<ProxyServer> proxies = new ArrayList<>();
  private ProxyServer proxy;
  // Tenant a's jobs created in start(), by id: their shard.
  private final Map<String, String> initialOfA = new ConcurrentHashMap<>();
  private final Set<String> localhostJobs = new HashSet<>();

  @BeforeAll
  void start() throws Exception {
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
    // On threads of our own: waiting for a leader on common-pool workers starves the Raft nodes.
    try (ExecutorService starters = Executors.newFixedThreadPool(3)) {
      List<Future<TestShard>> started = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String id = "shard-" + i;
        started.add(
            starters.submit(
                () ->
                    TestShard.start(
                        id,
                        dir,
                        b ->
                            b.insecureNoAuth(false)
                                .tenantsFile(tenants)
                                .workers(4)
                                .shutdownGrace(Duration.ofSeconds(1)))));
      }
      for (Future<TestShard> f : started) {
        shards.add(f.get());
      }
    }
    proxy =
        startProxy(
            ShardMap.of(shards.stream().map(ProxyListingTest::mapEntry).toList(), null), tenants);
    awaitLeadersKnown();
    for (int from = 0; from < JOBS_OF_A; from += 100) {
      List<String> batch = new ArrayList<>();
      for (int i = from; i < from + 100; i++) {
        String host = i % 4 == 0 ? "localhost" : "127.0.0.1";
        String key = i % 10 == 0 ? ",\"idempotencyKey\":\"key-" + i + "\"" : "";
        batch.add(job("\"id\":\"a-%04d\"%s".formatted(i, key), host));
        if (host.equals("localhost")) {
          localhostJobs.add("a-%04d".formatted(i));
        }
      }
      for (JsonNode item : submitBatch(A, batch)) {
        initialOfA.put(item.get("job").get("id").asText(), item.get("job").get("shardId").asText());
      }
    }
    // Tenant b reuses some of a's ids: they are another tenant's jobs.
    submitBatch(
        B,
        IntStream.range(0, JOBS_OF_B)
            .mapToObj(i -> job("\"id\":\"a-%04d\"".formatted(i), "127.0.0.1"))
            .toList());
  }

  @AfterAll
  void stop() {
    proxies.forEach(ProxyServer::close);
    shards.parallelStream().forEach(TestShard::close);
    http.close();
  }

  private static ShardMap.Shard mapEntry(TestShard shard) {
    return new ShardMap.Shard(
        shard.shardId(), IntStream.range(0, 3).mapToObj(i -> URI.create(shard.url(i))).toList());
  }

  private ProxyServer startProxy(ShardMap map, Path tenants) {
    ProxyServer started =
        ProxyServer.start(
            ProxyConfig.builder()
                .tenantsFile(tenants)
                .httpHost("127.0.0.1")
                .httpPort(0)
                .shardMap(map)
                .statusInterval(Duration.ofMillis(200))
                .forwardTimeout(Duration.ofSeconds(5))
                .build());
    proxies.add(started);
    return started;
  }

  private void awaitLeadersKnown() {
    await("the proxy knows every leader")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (JsonNode shard : tree(send(proxy, "GET", "/status", null, null)).get("shards")) {
                if (shard.path("leader").isMissingNode()) {
                  return false;
                }
              }
              return true;
            });
  }

  private static String job(String fields, String host) {
    return "{%s,\"url\":\"http://%s:9/hook\",\"delayMs\":%d}".formatted(fields, host, HOUR_MS);
  }

  private JsonNode submitBatch(String key, List<String> jobs) {
    HttpResponse<String> r =
        send(proxy, "POST", "/jobs:batch", key, "[" + String.join(",", jobs) + "]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    JsonNode items = tree(r);
    for (JsonNode item : items) {
      assertThat(item.get("status").asInt()).as(item.toString()).isEqualTo(201);
    }
    return items;
  }

  private HttpResponse<String> list(String key, String query) {
    return send(proxy, "GET", "/jobs" + query, key, null);
  }

  private JsonNode listOk(String key, String query) {
    HttpResponse<String> r = list(key, query);
    assertThat(r.statusCode()).as(query + " -> " + r.body()).isEqualTo(200);
    return tree(r);
  }

  /** Every page of a listing ({@code query} starts with {@code ?}), following cursors. */
  private List<JsonNode> listAll(String key, String query) {
    List<JsonNode> jobs = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 10_000; page++) {
      JsonNode body = listOk(key, query + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(body.has("partial")).as(body.toString()).isFalse();
      body.get("jobs").forEach(jobs::add);
      if (body.get("nextCursor").isNull()) {
        return jobs;
      }
      cursor = body.get("nextCursor").asText();
    }
    throw new AssertionError("no end after 10000 pages");
  }

  private static List<String> ids(List<JsonNode> jobs) {
    return jobs.stream().map(j -> j.get("id").asText()).toList();
  }

  private static void assertNewestFirst(List<JsonNode> jobs) {
    for (int i = 1; i < jobs.size(); i++) {
      JsonNode a = jobs.get(i - 1);
      JsonNode b = jobs.get(i);
      long ta = Instant.parse(a.get("createdAt").asText()).toEpochMilli();
      long tb = Instant.parse(b.get("createdAt").asText()).toEpochMilli();
      boolean ordered =
          ta > tb || (ta == tb && a.get("id").asText().compareTo(b.get("id").asText()) > 0);
      assertThat(ordered).as("%s before %s", a, b).isTrue();
    }
  }

  @Test
  @Order(1)
  void pagesMissAndRepeatNothingWhileJobsArrive() throws Exception {
    assertThat(new HashSet<>(initialOfA.values()))
        .as("the jobs are spread over every shard")
        .containsExactlyInAnyOrder("shard-0", "shard-1", "shard-2");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger submitted = new AtomicInteger();
    Set<String> arrivedAfterFirstPage = ConcurrentHashMap.newKeySet();
    AtomicLong firstPageAt = new AtomicLong(Long.MAX_VALUE);
    List<JsonNode> seen = new ArrayList<>();
    Future<Integer> arrivals;
    try (ExecutorService background = Executors.newSingleThreadExecutor()) {
      arrivals =
          background.submit(
              () -> {
                int n = 0;
                while (!stop.get() && n < MAX_ARRIVALS) {
                  // Started 2 ms after the first page: created after everything it could list.
                  long first = firstPageAt.get();
                  boolean late = first != Long.MAX_VALUE && System.currentTimeMillis() > first + 2;
                  HttpResponse<String> r =
                      send(
                          proxy, "POST", "/jobs", A, job("\"id\":\"late-" + n + "\"", "127.0.0.1"));
                  assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                  if (late) {
                    arrivedAfterFirstPage.add("late-" + n);
                  }
                  n = submitted.incrementAndGet();
                }
                return n;
              });
      await("some job arrived").atMost(Duration.ofSeconds(10)).until(() -> submitted.get() > 0);
      String cursor = null;
      int pages = 0;
      do {
        JsonNode body = listOk(A_READ, "?limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
        firstPageAt.compareAndSet(Long.MAX_VALUE, System.currentTimeMillis());
        assertThat(body.get("jobs").size()).isLessThanOrEqualTo(7);
        assertThat(body.has("partial")).isFalse();
        body.get("jobs").forEach(seen::add);
        cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
        pages++;
      } while (cursor != null && pages < 1000);
      stop.set(true);
      assertThat(arrivals.get()).as("jobs kept arriving while paging").isPositive();
    }
    List<String> ids = ids(seen);
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids).containsAll(initialOfA.keySet());
    assertThat(ids).doesNotContainAnyElementsOf(arrivedAfterFirstPage);
    assertThat(arrivedAfterFirstPage).as("jobs arrived during paging").isNotEmpty();
    assertNewestFirst(seen);
  }

  @Test
  @Order(2)
  void filtersApplyAcrossShards() {
    List<JsonNode> onLocalhost = listAll(A_READ, "?limit=7&host=LOCALHOST");
    assertThat(ids(onLocalhost)).containsExactlyInAnyOrderElementsOf(localhostJobs);
    assertNewestFirst(onLocalhost);

    List<String> cancelled = List.of("a-0001", "a-0002", "a-0003", "a-0005", "a-0006");
    for (String id : cancelled) {
      assertThat(send(proxy, "DELETE", "/jobs/" + id, A, null).statusCode()).isEqualTo(200);
    }
    assertThat(ids(listAll(A_READ, "?limit=2&status=CANCELLED")))
        .containsExactlyInAnyOrderElementsOf(cancelled);
    assertThat(ids(listAll(A_READ, "?limit=5&status=RUNNING"))).isEmpty();

    JsonNode byKey = listOk(A_READ, "?idempotencyKey=key-120");
    assertThat(ids(list(byKey))).containsExactly("a-0120");
    assertThat(byKey.get("nextCursor").isNull()).isTrue();

    // createdBefore the newest initial job of a: every other initial job, none of the later ones.
    List<JsonNode> all = listAll(A_READ, "?limit=1000");
    JsonNode newestInitial =
        all.stream().filter(j -> initialOfA.containsKey(j.get("id").asText())).findFirst().get();
    String before = newestInitial.get("createdAt").asText();
    List<String> older =
        ids(
            listAll(
                A_READ,
                "?limit=9&createdBefore=" + URLEncoder.encode(before, StandardCharsets.UTF_8)));
    assertThat(older).isNotEmpty().doesNotContain(newestInitial.get("id").asText());
    assertThat(initialOfA.keySet()).containsAll(older);
  }

  private static List<JsonNode> list(JsonNode page) {
    List<JsonNode> out = new ArrayList<>();
    page.get("jobs").forEach(out::add);
    return out;
  }

  @Test
  @Order(3)
  void eachTenantListsOnlyItsOwnJobs() {
    List<JsonNode> ofB = listAll(B, "?limit=7");
    assertThat(ofB).hasSize(JOBS_OF_B);
    assertThat(ofB).allSatisfy(j -> assertThat(j.get("url").asText()).contains("127.0.0.1"));
    assertThat(ids(listAll(A_READ, "?limit=1000"))).hasSizeGreaterThanOrEqualTo(JOBS_OF_A);
    assertThat(list(null, "").statusCode()).isEqualTo(401);
  }

  @Test
  @Order(4)
  void badParametersAndCursorsAre400() {
    String hostCursor = listOk(A_READ, "?limit=1&host=localhost").get("nextCursor").asText();
    String nodeCursor =
        tree(send(shards.get(0).url(0), "GET", "/jobs?limit=1", A_READ)).get("nextCursor").asText();
    for (String query :
        List.of(
            "?limit=0",
            "?limit=1001",
            "?limit=x",
            "?status=DONE",
            "?host=",
            "?createdAfter=yesterday",
            "?queue=not.a.queue",
            "?cursor=garbage",
            "?cursor=" + nodeCursor,
            "?cursor=" + hostCursor + "&status=FAILED",
            "?cursor=" + hostCursor + "&host=example.com",
            "?cursor=" + hostCursor + "&queue=other",
            "?cursor=" + hostCursor + "&idempotencyKey=key-10")) {
      HttpResponse<String> r = list(A_READ, query);
      assertThat(r.statusCode()).as(query + " -> " + r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    HttpResponse<String> atNode =
        send(shards.get(0).url(0), "GET", "/jobs?cursor=" + hostCursor, A_READ);
    assertThat(atNode.statusCode()).as("a node refuses the proxy's cursor").isEqualTo(400);
    assertThat(list(A_READ, "?cursor=" + hostCursor + "&host=localhost").statusCode())
        .as("repeating the cursor's filter is fine")
        .isEqualTo(200);
  }

  @Test
  @Order(5)
  void noShardAnsweringIs503() {
    ShardMap dead =
        ShardMap.of(
            List.of(
                new ShardMap.Shard(
                    "shard-0",
                    List.of(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2")))),
            null);
    ProxyServer lonely = startProxy(dead, dir.resolve("tenants.json"));
    HttpResponse<String> r = send(lonely, "GET", "/jobs", A_READ, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  @Order(6)
  void aShardThatIsDownMakesThePagePartialAndItsJobsComeLater() {
    TestShard down = shards.get(2);
    IntStream.range(0, 3).parallel().forEach(down::stop);
    JsonNode page = listOk(A_READ, "?limit=1000");
    assertThat(page.get("partial")).as(page.toString()).hasSize(1);
    assertThat(page.get("partial").get(0).asText()).isEqualTo("shard-2");
    List<JsonNode> listed = list(page);
    assertThat(listed).isNotEmpty();
    assertThat(listed)
        .allSatisfy(j -> assertThat(j.get("shardId").asText()).isNotEqualTo("shard-2"));
    Set<String> onOthers = new HashSet<>();
    initialOfA.forEach(
        (id, shard) -> {
          if (!shard.equals("shard-2")) {
            onOthers.add(id);
          }
        });
    assertThat(ids(listed)).containsAll(onOthers);
    String kept = page.get("nextCursor").asText();

    IntStream.range(0, 3).parallel().forEach(down::start);
    down.awaitLeader();
    JsonNode[] later = new JsonNode[1];
    await("the kept cursor lists shard-2 once it is back")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> r = list(A_READ, "?limit=1000&cursor=" + kept);
              if (r.statusCode() != 200) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                return false;
              }
              later[0] = tree(r);
              return !later[0].has("partial");
            });
    Set<String> onShard2 = new HashSet<>(initialOfA.keySet());
    onShard2.removeAll(onOthers);
    assertThat(ids(list(later[0]))).containsAll(onShard2).doesNotContainAnyElementsOf(onOthers);
    assertThat(later[0].get("nextCursor").isNull()).isTrue();
  }

  private HttpResponse<String> send(
      ProxyServer to, String method, String path, String key, String body) {
    return send("http://127.0.0.1:" + to.port(), method, path, key, body);
  }

  private HttpResponse<String> send(String base, String method, String path, String key) {
    return send(base, method, path, key, null);
  }

  private HttpResponse<String> send(
      String base, String method, String path, String key, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode tree(HttpResponse<String> r) {
    try {
      return WireJson.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + r.body(), e);
    }
  }
}
