package dev.shardhook.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.shardhook.api.routing.ShardRing;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real sandbox launcher: three shards of three node JVMs, two proxy JVMs and HAProxy in front,
 * all on loopback; jobs go through HAProxy and keep going when a proxy is killed. And two tenants
 * on one shard, each with the key {@code up} made for it, who never see each other's jobs.
 */
class SandboxTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  private HttpServer receiver;
  // The key every request sends: the first tenant's, from sandbox.json.
  private String key;

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/hook",
        exchange -> {
          delivered.add(exchange.getRequestHeaders().getFirst("webhook-id"));
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      SandboxScript.run("down", "--data", data.toString());
    } finally {
      receiver.stop(0);
      http.close();
    }
  }

  @Test
  void threeShardsAndTwoProxiesServeThroughHaproxyAndSurviveAProxyKill() throws Exception {
    assumeTrue(
        onPath("haproxy"),
        "sandbox test with two proxies behind HAProxy skipped: haproxy is not installed (apt-get install haproxy)");
    SandboxScript.Result up = up("--shards", "3", "--proxies", "2");

    JsonNode topology = JSON.readTree(data.resolve("sandbox.json").toFile());
    String entry = topology.get("entry").asText();
    key = topology.get("apiKeys").get("default").asText();
    assertThat(up.stdout().strip().lines()).containsExactly(entry, key);
    assertThat(topology.get("proxies")).hasSize(2);
    assertThat(topology.get("haproxy").get("pid").asLong()).isPositive();
    assertThat(topology.get("shards")).hasSize(3);
    topology.get("shards").forEach(s -> assertThat(s.get("nodes")).hasSize(3));

    // The nodes read the proxies' shard map: one shard's node refuses another shard's id.
    List<String> shardIds = new ArrayList<>();
    topology.get("shards").forEach(s -> shardIds.add(s.get("id").asText()));
    ShardRing ring = ShardRing.of(shardIds);
    String elsewhere =
        IntStream.range(0, 1000)
            .mapToObj(i -> "misdirected-" + i)
            .filter(id -> !ring.shardFor(id).equals(shardIds.get(0)))
            .findFirst()
            .orElseThrow();
    HttpResponse<String> misdirected =
        post(
            topology.get("shards").get(0).get("nodes").get(0).get("url").asText() + "/jobs",
            "{\"id\":\"" + elsewhere + "\",\"url\":\"http://127.0.0.1:9/hook\"}");
    assertThat(misdirected.statusCode()).as(misdirected.body()).isEqualTo(421);

    List<String> ids = submit(entry, 30);
    Set<String> shards = new HashSet<>();
    for (String id : ids) {
      shards.add(JSON.readTree(get(entry + "/jobs/" + id).body()).get("shardId").asText());
    }
    assertThat(shards).hasSizeGreaterThanOrEqualTo(2);

    long killed = topology.get("proxies").get(0).get("pid").asLong();
    ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(killed).isEmpty());

    List<String> after = submit(entry, 20);
    assertThat(get(entry + "/ready").statusCode()).isEqualTo(200);
    ids.addAll(after);
    await("every job delivered")
        .atMost(Duration.ofSeconds(90))
        .until(() -> delivered.containsAll(ids));
    for (String id : ids) {
      assertThat(JSON.readTree(get(entry + "/jobs/" + id).body()).get("status").asText())
          .isIn("SUCCEEDED", "PENDING", "RUNNING");
    }
    assertThat(SandboxScript.run("status", "--data", data.toString()).code())
        .as("status reports the dead proxy")
        .isNotZero();
  }

  @Test
  void twoTenantsEachWithItsOwnKeyNeverSeeEachOthersJobs() throws Exception {
    up("--tenants", "a,b");
    JsonNode topology = JSON.readTree(data.resolve("sandbox.json").toFile());
    String entry = topology.get("entry").asText();
    String a = topology.get("apiKeys").get("a").asText();
    String b = topology.get("apiKeys").get("b").asText();
    String admin = topology.get("adminKey").asText();
    String node = topology.get("shards").get(0).get("nodes").get(0).get("url").asText();
    // due in a month: it stays PENDING while the test looks at it
    String job =
        "{\"id\":\"order-1\",\"url\":\"http://127.0.0.1:9/hook\",\"runAt\":\"%s\"}"
            .formatted(Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS));

    key = a;
    HttpResponse<String> created = post(entry + "/jobs", job);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(get(entry + "/jobs/order-1").statusCode()).isEqualTo(200);

    key = b;
    assertThat(get(entry + "/jobs/order-1").statusCode()).as("a's job, b's key").isEqualTo(404);
    // A node answers 503 while it cannot confirm it reads the latest state (a follower whose
    // leader's lease lapsed on a busy machine, say): that is "try again", not an answer.
    int atNode =
        await("an answer from the node, not 503")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> get(node + "/jobs/order-1").statusCode(), status -> status != 503);
    assertThat(atNode).as("at a node too").isEqualTo(404);
    HttpResponse<String> sameId = post(entry + "/jobs", job);
    assertThat(sameId.statusCode()).as("ids are per tenant: " + sameId.body()).isEqualTo(201);

    key = null;
    HttpResponse<String> anonymous = get(entry + "/jobs/order-1");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(get(entry + "/ready").statusCode()).as("probes need no key").isEqualTo(200);
    assertThat(SandboxScript.run("status", "--data", data.toString()).code())
        .as("status needs no key")
        .isZero();

    key = admin;
    HttpResponse<String> acting =
        http.send(
            request(entry + "/jobs/order-1").header("Shardhook-Tenant", "a").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(acting.statusCode()).as("the admin acts for a").isEqualTo(200);
  }

  @Test
  void withTlsEveryProcessServesHttpsWithTheSandboxCertificate() throws Exception {
    assumeTrue(
        onPath("openssl"),
        "sandbox test with --tls skipped: openssl is not installed (apt-get install openssl)");
    up("--tls");
    JsonNode topology = JSON.readTree(data.resolve("sandbox.json").toFile());
    String entry = topology.get("entry").asText();
    key = topology.get("apiKeys").get("default").asText();
    assertThat(entry).startsWith("https://127.0.0.1:");
    String job =
        "{\"id\":\"tls-1\",\"url\":\"http://127.0.0.1:9/hook\",\"runAt\":\"%s\"}"
            .formatted(Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS));

    try (HttpClient https =
        HttpClient.newBuilder()
            .sslContext(trusting(Path.of(topology.get("caCert").asText())))
            .connectTimeout(Duration.ofSeconds(5))
            .build()) {
      HttpResponse<String> created =
          https.send(
              request(entry + "/jobs")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(job))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      HttpResponse<String> read =
          https.send(
              request(entry + "/jobs/tls-1").GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    }
    assertThat(SandboxScript.run("status", "--data", data.toString()).code())
        .as("status probes every node with the sandbox's client certificate")
        .isZero();
  }

  /** Trusts only the certificate in {@code caPem}. */
  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      store.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** {@code up} on a free port range (another one when a port was taken meanwhile: exit 3). */
  private SandboxScript.Result up(String... flags) throws Exception {
    SandboxScript.Result up = null;
    for (int attempt = 0;
        attempt < 5 && (up == null || up.code() == SandboxScript.EXIT_PORT_BUSY);
        attempt++) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "up",
                  "--data",
                  data.toString(),
                  "--port",
                  Integer.toString(freePortRange()),
                  "--wait",
                  "240"));
      args.addAll(List.of(flags));
      up = SandboxScript.run(args.toArray(String[]::new));
    }
    assertThat(up.code()).as(up.output()).isZero();
    return up;
  }

  private HttpRequest.Builder request(String url) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    return key == null ? request : request.header("Authorization", "Bearer " + key);
  }

  private List<String> submit(String entry, int n) throws Exception {
    String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          http.send(
              request(entry + "/jobs")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + hook + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      ids.add(JSON.readTree(r.body()).get("id").asText());
    }
    return ids;
  }

  private HttpResponse<String> post(String url, String json) throws Exception {
    return http.send(
        request(url)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A base port whose sandbox ports look free: P..P+9 (HAProxy, proxies), P+20.. (node HTTP) and
   * P+1000.. (Raft). Chosen below Linux's ephemeral range (32768 and up) so that outgoing
   * connections of other tests cannot take them meanwhile.
   */
  private static int freePortRange() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 10_000 + (int) (Math.random() * 20_000);
      if (IntStream.range(0, 10).allMatch(i -> free(base + i))
          && IntStream.range(0, 9).allMatch(i -> free(base + 20 + i) && free(base + 1000 + i))) {
        return base;
      }
    }
    throw new IOException("no free port range for the sandbox");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
