package dev.shardhook.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.routing.ShardMap;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import dev.shardhook.node.testing.TestTls;
import dev.shardhook.support.InvalidConfigException;
import dev.shardhook.support.tls.TlsFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
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
 * A proxy with TLS in front of a shard with TLS: clients reach the proxy over HTTPS without a
 * certificate of their own; the proxy reaches the nodes over HTTPS presenting its certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyTlsTest {
  @TempDir static Path dir;

  private final RecordingReceiver receiver = RecordingReceiver.start();
  private TestTls pki;
  private TestShard shard;
  private ProxyServer proxy;
  private OkHttpClient client;

  @BeforeAll
  void start() {
    pki = TestTls.newCa(dir.resolve("pki"), "test-ca");
    TlsFiles nodeFiles = pki.issue("node");
    shard = TestShard.start("shard-0", dir.resolve("shard"), b -> b.tls(nodeFiles));
    proxy =
        ProxyServer.start(
            ProxyConfig.builder()
                .insecureNoAuth(true)
                .httpHost("127.0.0.1")
                .httpPort(0)
                .shardMap(map())
                .statusInterval(Duration.ofMillis(200))
                .tls(pki.issue("proxy"))
                .build());
    // A client of the proxy: trusts the CA, shows no certificate.
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder().addTrustedCertificate(pki.ca().certificate()).build();
    client =
        new OkHttpClient.Builder()
            .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
            .callTimeout(Duration.ofSeconds(30))
            .build();
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

  private ShardMap map() {
    return ShardMap.of(
        List.of(
            new ShardMap.Shard(
                shard.shardId(),
                IntStream.range(0, 3).mapToObj(i -> URI.create(shard.url(i))).toList())),
        null);
  }

  @Test
  void forwardsAJobOverMutualTlsToTheShardAndItIsDelivered() throws IOException {
    String base = "https://127.0.0.1:" + proxy.port();
    await("the proxy knows the leader over mutual TLS")
        .atMost(Duration.ofSeconds(30))
        .until(() -> tree(get(base + "/status")).at("/shards/0/leader").isTextual());

    String id;
    try (Response r = post(base + "/jobs", "{\"url\":\"" + receiver.url("/tls") + "\"}")) {
      assertThat(r.code()).isEqualTo(201);
      id = WireJson.mapper().readTree(r.body().string()).get("id").asText();
    }

    await("job delivered")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !receiver.deliveries(id).isEmpty());
    assertThat(tree(get(base + "/jobs/" + id)).get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void nodeUrlsMustBeHttpsWhenTlsIsOn() {
    ShardMap plain =
        ShardMap.of(
            List.of(new ShardMap.Shard("shard-0", List.of(URI.create("http://127.0.0.1:1")))),
            null);

    assertThatThrownBy(
            () ->
                ProxyConfig.builder()
                    .insecureNoAuth(true)
                    .shardMap(plain)
                    .tls(pki.issue("proxy-2"))
                    .build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("https://");
  }

  private String get(String url) throws IOException {
    try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return r.body().string();
    }
  }

  private static JsonNode tree(String json) throws IOException {
    return WireJson.mapper().readTree(json);
  }

  private Response post(String url, String json) throws IOException {
    return client
        .newCall(
            new Request.Builder()
                .url(url)
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .build())
        .execute();
  }
}
