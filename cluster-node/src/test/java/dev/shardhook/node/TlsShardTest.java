package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import dev.shardhook.node.testing.TestTls;
import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.tls.TlsFiles;
import dev.shardhook.support.tls.TlsIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node shard with TLS on: its HTTP API is HTTPS and asks for a client certificate from the
 * CA; its Raft traffic is mutual TLS (jobs commit only if the peers accept each other).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsShardTest extends ShardFixture {
  @TempDir static Path dir;

  private TestTls pki;
  private TlsIdentity proxyIdentity;

  @BeforeAll
  void start() {
    pki = TestTls.newCa(dir.resolve("pki"), "test-ca");
    TlsFiles nodeFiles = pki.issue("node");
    shard = TestShard.start(dir, b -> b.tls(nodeFiles));
    proxyIdentity = TlsIdentity.load(pki.issue("proxy"));
  }

  @AfterAll
  void stopIdentity() {
    proxyIdentity.close();
  }

  @Test
  void acceptsAndDeliversAJobOverHttpsFromAClientWithACertificate() throws IOException {
    OkHttpClient http = clientPresenting(proxyIdentity);
    String base = leaderUrl();
    assertThat(base).startsWith("https://");

    String id;
    try (Response r = post(http, base + "/jobs", "{\"url\":\"" + receiver.url("/tls") + "\"}")) {
      assertThat(r.code()).isEqualTo(201);
      id = NodeClient.parse(r.body().string(), Job.class).id();
    }

    await("job " + id + " delivered and SUCCEEDED")
        .atMost(Duration.ofSeconds(30))
        .until(() -> status(http, base, id) == JobStatus.SUCCEEDED);
    assertThat(receiver.deliveries(id)).hasSize(1);
  }

  @Test
  void refusesTheApiToAClientWithoutACertificateButLetsItProbe() throws IOException {
    HandshakeCertificates trustOnly =
        new HandshakeCertificates.Builder().addTrustedCertificate(pki.ca().certificate()).build();
    OkHttpClient noCert =
        fresh().sslSocketFactory(trustOnly.sslSocketFactory(), trustOnly.trustManager()).build();
    String base = leaderUrl();

    try (Response refused = post(noCert, base + "/jobs", "{\"url\":\"http://x\"}")) {
      assertThat(refused.code()).isEqualTo(403);
      assertThat(refused.body().string()).contains("mutual TLS");
    }
    try (Response probe = noCert.newCall(get(base + "/ready")).execute()) {
      assertThat(probe.code())
          .as("load balancers and kubelets probe without a certificate")
          .isEqualTo(200);
    }
  }

  @Test
  void refusesAClientWhoseCertificateAnotherCaSigned() throws IOException {
    TestTls stranger = TestTls.newCa(dir.resolve("stranger-pki"), "stranger-ca");
    HandshakeCertificates foreign =
        new HandshakeCertificates.Builder()
            .addTrustedCertificate(pki.ca().certificate())
            .heldCertificate(stranger.ca())
            .build();
    OkHttpClient client =
        fresh().sslSocketFactory(foreign.sslSocketFactory(), foreign.trustManager()).build();
    // Either the handshake rejects the certificate, or the client, seeing that the node asks for
    // another CA's, sends none: never may the request reach the API.
    try (Response r = post(client, leaderUrl() + "/jobs", "{\"url\":\"http://x\"}")) {
      assertThat(r.code()).isEqualTo(403);
    } catch (IOException handshakeRefused) {
      assertThat(handshakeRefused).isNotNull();
    }
  }

  @Test
  void refusesPlainHttp() {
    String plain = leaderUrl().replace("https://", "http://");

    assertThatThrownBy(() -> fresh().build().newCall(get(plain + "/health")).execute().close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void someButNotAllTlsFilesAreAConfigError() {
    assertThatThrownBy(
            () ->
                NodeMain.parse(
                    Map.of(),
                    "--node-id",
                    "a",
                    "--peers",
                    "a=127.0.0.1:9200",
                    "--insecure-no-auth",
                    "--tls-cert",
                    "c"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("all three");
  }

  @Test
  void unreadableTlsFilesStopTheNodeBeforeItOpensAnything() {
    Path missing = dir.resolve("missing.pem");
    NodeConfig config =
        NodeConfig.builder()
            .insecureNoAuth(true)
            .nodeId("a")
            .peers("a=127.0.0.1:9200")
            .dataDir(dir.resolve("never"))
            .tls(new TlsFiles(missing, missing, missing))
            .build();

    assertThatThrownBy(() -> ShardNode.start(config))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("missing.pem");
    assertThat(dir.resolve("never")).doesNotExist();
  }

  private static JobStatus status(OkHttpClient http, String base, String id) throws IOException {
    try (Response r = http.newCall(get(base + "/jobs/" + id)).execute()) {
      // A 503 while the shard elects (a loaded machine) is no answer yet: poll again.
      return r.code() == 200 ? NodeClient.parse(r.body().string(), Job.class).status() : null;
    }
  }

  private static OkHttpClient.Builder fresh() {
    return new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
        .callTimeout(Duration.ofSeconds(10));
  }

  private static OkHttpClient clientPresenting(TlsIdentity identity) {
    return fresh().sslSocketFactory(identity.sslSocketFactory(), identity.trustManager()).build();
  }

  private static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  private static Response post(OkHttpClient http, String url, String json) throws IOException {
    return http.newCall(
            new Request.Builder()
                .url(url)
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .build())
        .execute();
  }
}
