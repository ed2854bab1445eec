package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Attempt;
import dev.shardhook.api.AttemptResponse;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real three-node shard delivering to a real receiver: what each attempt kept of the answer
 * travels through the Raft log to every replica's store and shows in {@code GET /jobs/{id}}.
 */
class ResponseCaptureShardTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @StartStop public final MockWebServer receiver = new MockWebServer();

  private final NodeClient client = new NodeClient();
  private TestShard shard;

  @AfterEach
  void stop() {
    client.close();
    if (shard != null) {
      shard.close();
    }
  }

  private String submitAndAwaitSuccess() {
    String json =
        "{\"url\":\""
            + receiver.url("/hook")
            + "\",\"body\":\"{}\",\"retry\":{\"maxAttempts\":3,\"initialBackoffMs\":50,"
            + "\"maxBackoffMs\":50}}";
    HttpResponse<String> r = client.post(shard.url(shard.awaitLeader()) + "/jobs", json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = NodeClient.parse(r.body(), Job.class).id();
    await("the job delivered on every replica")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                List.of(0, 1, 2).stream()
                    .allMatch(i -> client.job(shard.url(i), id).status() == JobStatus.SUCCEEDED));
    return id;
  }

  private void answerFailureThenSuccess() {
    receiver.enqueue(
        new MockResponse.Builder()
            .code(500)
            .addHeader("Content-Type", "application/json")
            .addHeader("X-Request-Id", "r-81")
            .addHeader("Set-Cookie", "session=s3cr3t")
            .body("{\"error\":\"database down\"}")
            .build());
    receiver.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "text/plain")
            .body("ok ".repeat(1_000))
            .build());
  }

  @Test
  void everyAttemptShowsTheStatusAllowedHeadersAndTheBodyOnEveryReplica() {
    shard = TestShard.start(dir, b -> b.workers(4).responseCaptureBytes(64));
    answerFailureThenSuccess();

    String id = submitAndAwaitSuccess();

    for (int i = 0; i < 3; i++) {
      List<Attempt> attempts = client.job(shard.url(i), id).attempts();
      assertThat(attempts).hasSize(2);
      Attempt failed = attempts.get(0);
      assertThat(failed.statusCode()).isEqualTo(500);
      assertThat(failed.error()).isEqualTo("HTTP 500");
      AttemptResponse r = failed.response();
      assertThat(r.headers())
          .containsEntry("content-type", "application/json")
          .containsEntry("x-request-id", "r-81")
          .doesNotContainKey("set-cookie");
      assertThat(r.body()).isEqualTo("{\"error\":\"database down\"}");
      assertThat(r.bodyTruncated()).isFalse();

      Attempt ok = attempts.get(1);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.response().headers()).containsEntry("content-type", "text/plain");
      assertThat(ok.response().body()).isEqualTo("ok ".repeat(1_000).substring(0, 64));
      assertThat(ok.response().bodyTruncated()).isTrue();
    }
    String raw = client.get(shard.url(shard.awaitLeader()) + "/jobs/" + id).body();
    assertThat(raw)
        .contains("\"response\":{\"headers\":{")
        .contains("\"bodyTruncated\":true")
        .doesNotContainIgnoringCase("set-cookie")
        .doesNotContain("s3cr3t");
  }

  @Test
  void zeroCaptureBytesKeepsNothing() {
    shard = TestShard.start(dir, b -> b.workers(4).responseCaptureBytes(0));
    answerFailureThenSuccess();

    String id = submitAndAwaitSuccess();

    List<Attempt> attempts = client.job(shard.url(shard.awaitLeader()), id).attempts();
    assertThat(attempts).extracting(Attempt::statusCode).containsExactly(500, 200);
    assertThat(attempts).extracting(Attempt::response).containsOnlyNulls();
    assertThat(client.get(shard.url(shard.awaitLeader()) + "/jobs/" + id).body())
        .doesNotContain("\"response\"")
        .doesNotContain("database down");
  }
}
