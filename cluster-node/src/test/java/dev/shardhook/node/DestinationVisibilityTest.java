package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Destination;
import dev.shardhook.api.DestinationList;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TenantsFixture;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /destinations}: an admin sees every host, a tenant only those its jobs target. */
class DestinationVisibilityTest {
  private static final String A = TenantsFixture.newKey();
  private static final String B = TenantsFixture.newKey();
  private static final String ADMIN = TenantsFixture.newKey();

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void eachTenantSeesTheHostsOfItsOwnJobsAndAnAdminSeesAll() throws Exception {
    Path tenants = dir.resolve("tenants.json");
    TenantsFixture.write(
        tenants,
        """
        {"tenants": {
          "a": {"keys": [%s]},
          "b": {"keys": [%s]},
          "ops": {"keys": [%s]}
        }}
        """
            .formatted(
                TenantsFixture.keyEntry("a-submit", A, "submit"),
                TenantsFixture.keyEntry("b-submit", B, "submit"),
                TenantsFixture.keyEntry("ops-admin", ADMIN, "admin")));
    try (RecordingReceiver first = RecordingReceiver.start();
        RecordingReceiver second = RecordingReceiver.start();
        TestShard shard = TestShard.start(dir, b -> b.insecureNoAuth(false).tenantsFile(tenants))) {
      String hostA = host(first.url("/a"));
      String hostB = host(second.url("/b"));
      String base = shard.url(shard.awaitLeader());
      assertThat(post(base + "/jobs", A, "{\"url\":\"" + first.url("/a") + "\"}").statusCode())
          .isEqualTo(201);
      assertThat(post(base + "/jobs", B, "{\"url\":\"" + second.url("/b") + "\"}").statusCode())
          .isEqualTo(201);
      await().atMost(Duration.ofSeconds(30)).until(() -> first.total() + second.total() >= 2);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> hosts(shard, ADMIN), h -> h.containsAll(List.of(hostA, hostB)));
      assertThat(hosts(shard, A)).containsExactly(hostA);
      assertThat(hosts(shard, B)).containsExactly(hostB);

      Destination seen =
          list(shard, A).destinations().stream()
              .filter(d -> d.host().equals(hostA))
              .findFirst()
              .orElseThrow();
      assertThat(seen.state()).isEqualTo(Destination.HEALTHY);
      assertThat(seen.successRate()).isEqualTo(1.0);
      assertThat(seen.latencyMs()).isNotNull();
      assertThat(seen.concurrencyLimit()).isBetween(1, seen.maxConcurrency());

      HttpResponse<String> notAdmin =
          post(shard.url(shard.awaitLeader()) + "/destinations/" + hostA + ":enable", A, "");
      assertThat(notAdmin.statusCode()).as(notAdmin.body()).isEqualTo(403);
    }
  }

  private static String host(String url) {
    HttpUrl u = HttpUrl.get(url);
    return u.host() + ":" + u.port();
  }

  private List<String> hosts(TestShard shard, String key) throws Exception {
    return list(shard, key).destinations().stream().map(Destination::host).toList();
  }

  private DestinationList list(TestShard shard, String key) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(shard.url(shard.awaitLeader()) + "/destinations"))
                .header("Authorization", "Bearer " + key)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return NodeClient.parse(r.body(), DestinationList.class);
  }

  private HttpResponse<String> post(String url, String key, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
