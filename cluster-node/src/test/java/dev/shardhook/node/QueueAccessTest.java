package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.testing.TenantsFixture;
import dev.shardhook.node.testing.TestShard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Queues belong to a tenant; only admin keys change them (README, "Queues", "Security"). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueueAccessTest {
  @TempDir static Path dir;

  private final String acmeAdmin = TenantsFixture.newKey();
  private final String acmeSubmit = TenantsFixture.newKey();
  private final String otherSubmit = TenantsFixture.newKey();
  private final HttpClient http = HttpClient.newHttpClient();
  private TestShard shard;

  @BeforeAll
  void start() {
    Path tenants = dir.resolve("tenants.json");
    TenantsFixture.write(
        tenants,
        "{\"tenants\": {\"acme\": {\"keys\": ["
            + TenantsFixture.keyEntry("acme-admin", acmeAdmin, "admin")
            + ","
            + TenantsFixture.keyEntry("acme-submit", acmeSubmit, "submit")
            + "]}, \"other\": {\"keys\": ["
            + TenantsFixture.keyEntry("other-submit", otherSubmit, "submit")
            + "]}}}");
    shard = TestShard.start(dir, b -> b.insecureNoAuth(false).tenantsFile(tenants));
  }

  @AfterAll
  void stop() {
    http.close();
    if (shard != null) {
      shard.close();
    }
  }

  private HttpResponse<String> call(
      String method, String path, String key, String tenant, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(shard.url(shard.awaitLeader()) + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (tenant != null) {
      b.header("Shardhook-Tenant", tenant);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void onlyAdminsWriteAndEachTenantSeesItsOwnQueues() {
    assertThat(call("PUT", "/queues/mine", acmeSubmit, null, "{}").statusCode()).isEqualTo(403);
    assertThat(call("POST", "/queues/default:pause", acmeSubmit, null, "").statusCode())
        .isEqualTo(403);
    assertThat(call("PUT", "/queues/mine", acmeAdmin, null, "{}").statusCode()).isEqualTo(201);
    assertThat(call("GET", "/queues/mine", acmeSubmit, null, null).statusCode()).isEqualTo(200);

    // Another tenant's namespace: not there, and its jobs may not name it.
    assertThat(call("GET", "/queues/mine", otherSubmit, null, null).statusCode()).isEqualTo(404);
    HttpResponse<String> job =
        call(
            "POST",
            "/jobs",
            otherSubmit,
            null,
            "{\"url\":\"http://127.0.0.1:9/x\",\"queue\":\"mine\"}");
    assertThat(job.statusCode()).as(job.body()).isEqualTo(400);
    assertThat(job.body()).contains("unknown-queue");

    // An admin key acts for another tenant with the tenant header.
    assertThat(call("PUT", "/queues/theirs", acmeAdmin, "other", "{}").statusCode()).isEqualTo(201);
    assertThat(call("GET", "/queues/theirs", otherSubmit, null, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/queues/theirs", acmeSubmit, null, null).statusCode()).isEqualTo(404);
  }
}
