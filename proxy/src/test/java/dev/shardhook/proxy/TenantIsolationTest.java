package dev.shardhook.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TenantsFixture;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants on a real three-node shard behind a real proxy, both reading one tenants file: keys and
 * roles, namespaces, redaction, quotas, per-tenant signing secrets, and key revocation by editing
 * the file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String A_SUBMIT = TenantsFixture.newKey();
  private static final String A_READ = TenantsFixture.newKey();
  private static final String B_SUBMIT = TenantsFixture.newKey();
  private static final String C_SUBMIT = TenantsFixture.newKey();
  private static final String ADMIN = TenantsFixture.newKey();
  private static final String A_NEW_SECRET = TenantsFixture.newSecret();
  private static final String A_OLD_SECRET = TenantsFixture.newSecret();

  @TempDir static Path dir;

  private final RecordingReceiver receiver = RecordingReceiver.start();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path tenantsFile;
  private TestShard shard;
  private ProxyServer proxy;
  private String entry;

  @BeforeAll
  void start() {
    tenantsFile = dir.resolve("tenants.json");
    TenantsFixture.write(tenantsFile, tenants(""));
    shard =
        TestShard.start(
            "shard-0", dir, b -> b.insecureNoAuth(false).tenantsFile(tenantsFile).workers(8));
    ShardMap map =
        ShardMap.of(
            List.of(
                new ShardMap.Shard(
                    "shard-0",
                    IntStream.range(0, 3).mapToObj(i -> URI.create(shard.url(i))).toList())),
            null);
    proxy =
        ProxyServer.start(
            ProxyConfig.builder()
                .tenantsFile(tenantsFile)
                .httpHost("127.0.0.1")
                .httpPort(0)
                .shardMap(map)
                .statusInterval(Duration.ofMillis(200))
                .build());
    entry = "http://127.0.0.1:" + proxy.port();
    await("the proxy knows the leader")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !json(send("GET", "/status", null, null, null)).findPath("leader").isMissingNode());
  }

  @AfterAll
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (shard != null) {
      shard.close();
    }
    receiver.close();
  }

  private static String tenants(String extraKeyOfA) {
    return """
        {"tenants": {
          "default": {"keys": [%s]},
          "a": {"keys": [%s, %s%s],
                "signingSecrets": [{"id": "new", "secret": "%s"},
                                   {"id": "old", "secret": "%s", "notAfter": "2999-01-01T00:00:00Z"},
                                   {"id": "retired", "secret": "%s", "notAfter": "2001-01-01T00:00:00Z"}]},
          "b": {"keys": [%s], "quotas": {"maxPendingPerShard": 3}},
          "c": {"keys": [%s], "quotas": {"submitRatePerSecond": 0.5, "submitBurst": 2}}
        }}
        """
        .formatted(
            TenantsFixture.keyEntry("admin", ADMIN, "admin"),
            TenantsFixture.keyEntry("a-submit", A_SUBMIT, "submit"),
            TenantsFixture.keyEntry("a-read", A_READ, "read"),
            extraKeyOfA,
            A_NEW_SECRET,
            A_OLD_SECRET,
            TenantsFixture.newSecret(),
            TenantsFixture.keyEntry("b-submit", B_SUBMIT, "submit"),
            TenantsFixture.keyEntry("c-submit", C_SUBMIT, "submit"));
  }

  @Test
  void requestsWithoutAValidKeyAre401AndTheWrongRoleIs403() throws Exception {
    for (String base : List.of(entry, shard.url(0))) {
      HttpResponse<String> none = send(base, "POST", "/jobs", job("{}"), null, null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"shardhook\"");
      assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      HttpResponse<String> bad = send(base, "GET", "/jobs/x", null, "shk_not-a-key", null);
      assertThat(bad.statusCode()).isEqualTo(401);
      assertThat(bad.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("invalid_token");
      assertThat(send(base, "POST", "/jobs", job("{}"), A_READ, null).statusCode()).isEqualTo(403);
      assertThat(send(base, "GET", "/tenants", null, A_SUBMIT, null).statusCode()).isEqualTo(403);
      assertThat(send(base, "GET", "/health", null, null, null).statusCode()).isEqualTo(200);
      assertThat(send(base, "GET", "/metrics", null, null, null).statusCode()).isEqualTo(401);
      assertThat(send(base, "GET", "/metrics", null, A_READ, null).statusCode()).isEqualTo(200);
    }
    JsonNode view = json(send("GET", "/tenants", null, ADMIN, null));
    assertThat(view.toString()).contains("a-submit").doesNotContain(A_NEW_SECRET, A_SUBMIT);
  }

  @Test
  void eachTenantHasItsOwnIdsAndKeysAndNeverSeesAnothersJobs() throws Exception {
    HttpResponse<String> ofA =
        send("POST", "/jobs", job("{\"id\":\"order-1\"}", "/a"), A_SUBMIT, null);
    HttpResponse<String> ofB =
        send("POST", "/jobs", job("{\"id\":\"order-1\"}", "/b"), B_SUBMIT, null);
    assertThat(ofA.statusCode()).isEqualTo(201);
    assertThat(ofB.statusCode()).as("the same id in another tenant is another job").isEqualTo(201);
    assertThat(json(send("GET", "/jobs/order-1", null, A_READ, null)).get("url").asText())
        .endsWith("/a");
    assertThat(json(send("GET", "/jobs/order-1", null, B_SUBMIT, null)).get("url").asText())
        .endsWith("/b");

    assertThat(send("POST", "/jobs", job("{\"id\":\"only-a\"}"), A_SUBMIT, null).statusCode())
        .isEqualTo(201);
    assertThat(send("GET", "/jobs/only-a", null, B_SUBMIT, null).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/jobs/only-a", null, B_SUBMIT, null).statusCode()).isEqualTo(404);
    assertThat(send(shard.url(0), "GET", "/jobs/only-a", null, B_SUBMIT, null).statusCode())
        .isEqualTo(404);
    assertThat(send("GET", "/jobs/only-a", null, A_READ, null).statusCode()).isEqualTo(200);

    String keyed = "{\"idempotencyKey\":\"invoice-7\"}";
    String idOfA = json(send("POST", "/jobs", job(keyed), A_SUBMIT, null)).get("id").asText();
    String idOfB = json(send("POST", "/jobs", job(keyed), B_SUBMIT, null)).get("id").asText();
    assertThat(idOfA).isNotEqualTo(idOfB);
    HttpResponse<String> replay = send("POST", "/jobs", job(keyed), A_SUBMIT, null);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(json(replay).get("id").asText()).isEqualTo(idOfA);
    assertThat(json(replay).get("idempotencyKey").asText()).isEqualTo("invoice-7");

    assertThat(send("GET", "/jobs/only-a", null, ADMIN, "a").statusCode())
        .as("an admin acts for a tenant it names")
        .isEqualTo(200);
    assertThat(send("GET", "/jobs/only-a", null, B_SUBMIT, "a").statusCode())
        .as("other roles may not name another tenant")
        .isEqualTo(403);
  }

  @Test
  void sensitiveHeadersAreRedactedInAnswersAndDeliveredSignedWithEveryActiveSecret()
      throws Exception {
    String body =
        job(
            "{\"id\":\"signed-1\",\"body\":\"{}\",\"headers\":{\"Authorization\":\"Bearer rcv\","
                + "\"X-Api-Key\":\"k-123\",\"X-Trace\":\"t-1\"}}",
            "/signed");
    JsonNode created = json(send("POST", "/jobs", body, A_SUBMIT, null));
    assertThat(created.get("headers").get("Authorization").asText()).isEqualTo("[redacted]");
    assertThat(created.get("headers").get("X-Api-Key").asText()).isEqualTo("[redacted]");
    assertThat(created.get("headers").get("X-Trace").asText()).isEqualTo("t-1");

    await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.deliveries("signed-1").isEmpty());
    RecordedRequest got = receiver.deliveries("signed-1").get(0);
    assertThat(got.getHeaders().get("Authorization")).isEqualTo("Bearer rcv");
    assertThat(got.getHeaders().get("X-Api-Key")).isEqualTo("k-123");
    String[] signatures = got.getHeaders().get("webhook-signature").split(" ");
    String signed =
        "signed-1." + got.getHeaders().get("webhook-timestamp") + "." + got.getBody().utf8();
    assertThat(signatures)
        .as("one signature per active secret; the retired one signs no more")
        .containsExactly("v1," + hmac(A_NEW_SECRET, signed), "v1," + hmac(A_OLD_SECRET, signed));
    JsonNode read = json(send("GET", "/jobs/signed-1", null, A_READ, null));
    assertThat(read.get("headers").get("Authorization").asText()).isEqualTo("[redacted]");
  }

  @Test
  void pendingJobsOverTheTenantsQuotaAre429() throws Exception {
    for (int i = 0; i < 3; i++) {
      String held = job("{\"id\":\"held-" + i + "\",\"delayMs\":3600000}");
      assertThat(send("POST", "/jobs", held, B_SUBMIT, null).statusCode()).isEqualTo(201);
    }
    HttpResponse<String> over = send("POST", "/jobs", job("{\"delayMs\":3600000}"), B_SUBMIT, null);
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.headers().firstValue("Retry-After")).isPresent();
    assertThat(json(over).get("type").asText()).endsWith("/quota-exceeded");
    assertThat(json(over).get("detail").asText()).contains("maxPendingPerShard=3");
    String again = job("{\"id\":\"held-0\",\"delayMs\":3600000}");
    assertThat(send("POST", "/jobs", again, B_SUBMIT, null).statusCode())
        .as("a resubmission of a held job still gets its replay answer")
        .isEqualTo(200);
    assertThat(send("POST", "/jobs", job("{\"delayMs\":3600000}"), A_SUBMIT, null).statusCode())
        .as("another tenant is not held back")
        .isEqualTo(201);
  }

  @Test
  void submitsOverTheTenantsRateAre429WithRetryAfter() throws Exception {
    assertThat(send("POST", "/jobs", job("{\"delayMs\":3600000}"), C_SUBMIT, null).statusCode())
        .isEqualTo(201);
    assertThat(send("POST", "/jobs", job("{\"delayMs\":3600000}"), C_SUBMIT, null).statusCode())
        .isEqualTo(201);
    HttpResponse<String> over = send("POST", "/jobs", job("{\"delayMs\":3600000}"), C_SUBMIT, null);
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(Integer.parseInt(over.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1, 3);
    assertThat(json(over).get("detail").asText()).contains("submitRatePerSecond=0.5");
  }

  @Test
  void aKeyAddedToTheFileWorksWithinSecondsAndARevokedOneStops() {
    String added = TenantsFixture.newKey();
    TenantsFixture.write(
        tenantsFile, tenants(", " + TenantsFixture.keyEntry("a-added", added, "read")));
    await("the new key works on the proxy and the node")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                send("GET", "/metrics", null, added, null).statusCode() == 200
                    && send(shard.url(0), "GET", "/metrics", null, added, null).statusCode()
                        == 200);
    TenantsFixture.write(tenantsFile, tenants(""));
    await("the revoked key is refused")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                send("GET", "/metrics", null, added, null).statusCode() == 401
                    && send(shard.url(0), "GET", "/metrics", null, added, null).statusCode()
                        == 401);
  }

  private String job(String extra) {
    return job(extra, "/hook");
  }

  private String job(String extra, String path) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(extra);
      node.put("url", receiver.url(path));
      return node.toString();
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private HttpResponse<String> send(
      String method, String path, String body, String key, String tenant) throws Exception {
    return send(entry, method, path, body, key, tenant);
  }

  private HttpResponse<String> send(
      String base, String method, String path, String body, String key, String tenant)
      throws Exception {
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
    if (tenant != null) {
      b.header("Shardhook-Tenant", tenant);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static String hmac(String secret, String content) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
    return Base64.getEncoder()
        .encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
  }
}
