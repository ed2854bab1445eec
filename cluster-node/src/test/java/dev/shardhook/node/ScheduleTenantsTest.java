package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.api.Schedule;
import dev.shardhook.api.ScheduleList;
import dev.shardhook.node.testing.TenantsFixture;
import dev.shardhook.node.testing.TestShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules belong to their tenant: another tenant neither sees nor changes them. */
class ScheduleTenantsTest {
  @TempDir Path dir;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final NodeClient client = new NodeClient();
  private TestShard shard;

  @AfterEach
  void stop() {
    client.close();
    if (shard != null) {
      shard.close();
    }
  }

  private static HttpResponse<String> call(String method, String url, String key) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + key)
              .method(method, HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anotherTenantsScheduleIsNotFoundAndReadKeysCannotCreate() {
    String acme = TenantsFixture.newKey();
    String globex = TenantsFixture.newKey();
    String reader = TenantsFixture.newKey();
    Path tenants = dir.resolve("tenants.json");
    TenantsFixture.write(
        tenants,
        "{\"tenants\": {\"acme\": {\"keys\": ["
            + TenantsFixture.keyEntry("acme-1", acme, "submit")
            + ","
            + TenantsFixture.keyEntry("acme-ro", reader, "read")
            + "]}, \"globex\": {\"keys\": ["
            + TenantsFixture.keyEntry("globex-1", globex, "submit")
            + "]}}}");
    shard = TestShard.start(dir, b -> b.insecureNoAuth(false).tenantsFile(tenants));
    String base = shard.url(shard.awaitLeader());
    String body = "{\"cron\":\"0 0 1 1 *\",\"job\":{\"url\":\"http://127.0.0.1:9/x\"}}";

    HttpResponse<String> created =
        client.post(
            base + "/schedules",
            body,
            "Authorization",
            "Bearer " + acme,
            "Idempotency-Key",
            "same-key");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = NodeClient.parse(created.body(), Schedule.class).id();
    // The same key of another tenant names another schedule.
    HttpResponse<String> theirs =
        client.post(
            base + "/schedules",
            body,
            "Authorization",
            "Bearer " + globex,
            "Idempotency-Key",
            "same-key");
    assertThat(theirs.statusCode()).isEqualTo(201);
    assertThat(NodeClient.parse(theirs.body(), Schedule.class).id()).isNotEqualTo(id);

    assertThat(call("GET", base + "/schedules/" + id, globex).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", base + "/schedules/" + id, globex).statusCode()).isEqualTo(404);
    HttpResponse<String> list = call("GET", base + "/schedules", globex);
    assertThat(NodeClient.parse(list.body(), ScheduleList.class).schedules())
        .extracting(Schedule::id)
        .doesNotContain(id)
        .hasSize(1);
    assertThat(call("GET", base + "/schedules/" + id, reader).statusCode()).isEqualTo(200);
    assertThat(
            client
                .post(base + "/schedules", body, "Authorization", "Bearer " + reader)
                .statusCode())
        .isEqualTo(403);
    assertThat(client.post(base + "/schedules", body).statusCode()).isEqualTo(401);
  }
}
