package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Attempt;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TenantsFixture;
import dev.shardhook.node.testing.TestShard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /jobs/{id}:replay} on a real three-node shard delivering to a real receiver: failed
 * and cancelled jobs go back to pending and succeed, attempt numbers continue, the retry budget is
 * fresh; other states, other tenants' ids, bad ids and a full quota are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobReplayTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String A = TenantsFixture.newKey();
  private static final String B = TenantsFixture.newKey();
  private static final String Q = TenantsFixture.newKey();
  private static final long HOUR_MS = 3_600_000;
  private static final String FAST_RETRY =
      "\"retry\":{\"maxAttempts\":2,\"initialBackoffMs\":20,\"maxBackoffMs\":20}";

  @TempDir static Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private RecordingReceiver receiver;
  private TestShard shard;

  @BeforeAll
  void start() {
    Path tenants = dir.resolve("tenants.json");
    TenantsFixture.write(
        tenants,
        """
        {"tenants": {
          "a": {"keys": [%s]},
          "b": {"keys": [%s]},
          "q": {"keys": [%s], "quotas": {"maxPendingPerShard": 1}}
        }}
        """
            .formatted(
                TenantsFixture.keyEntry("a-submit", A, "submit"),
                TenantsFixture.keyEntry("b-submit", B, "submit"),
                TenantsFixture.keyEntry("q-submit", Q, "submit")));
    receiver = RecordingReceiver.start();
    shard = TestShard.start(dir, b -> b.insecureNoAuth(false).tenantsFile(tenants).workers(4));
  }

  @AfterAll
  void stop() {
    http.close();
    if (shard != null) {
      shard.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void failedJobIsReplayedWithAFreshBudgetAndSucceedsWithItsAttemptsNumberedOn() {
    // Two attempts allowed: 500, 500 fails the job; after the replay 500 then 200 needs the
    // budget to start again (attempt 3 would otherwise end it).
    receiver.script(
        "/budget",
        RecordingReceiver.status(500),
        RecordingReceiver.status(500),
        RecordingReceiver.status(500));
    String id = submit(A, "budget", "/budget", FAST_RETRY);
    awaitStatus(A, id, JobStatus.FAILED);

    HttpResponse<String> replay = replay(A, id);

    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    Job replayed = NodeClient.parse(replay.body(), Job.class);
    assertThat(replayed.status()).isIn(JobStatus.PENDING, JobStatus.RUNNING);
    assertThat(replayed.finishedAt()).isNull();
    assertThat(replayed.attempts()).hasSize(2);
    awaitStatus(A, id, JobStatus.SUCCEEDED);
    for (int node = 0; node < 3; node++) {
      int i = node;
      await("replica " + i + " applied the success")
          .atMost(TIMEOUT)
          .until(() -> job(A, i, id).status() == JobStatus.SUCCEEDED);
      List<Attempt> attempts = job(A, i, id).attempts();
      assertThat(attempts).extracting(Attempt::number).containsExactly(1, 2, 3, 4);
      assertThat(attempts).extracting(Attempt::statusCode).containsExactly(500, 500, 500, 200);
    }
    assertThat(receiver.deliveries(id)).hasSize(4);
  }

  @Test
  void jobRefusedByTheReceiverIsReplayedAndSucceeds() {
    receiver.script("/refuse", RecordingReceiver.status(400));
    String id = submit(A, "refused", "/refuse", FAST_RETRY);
    awaitStatus(A, id, JobStatus.FAILED);

    assertThat(replay(A, id).statusCode()).isEqualTo(200);

    awaitStatus(A, id, JobStatus.SUCCEEDED);
    assertThat(job(A, shard.awaitLeader(), id).attempts())
        .extracting(Attempt::statusCode)
        .containsExactly(400, 200);
  }

  @Test
  void cancelledJobIsReplayedDueAtOnce() {
    String id = submit(A, "cancelled", "/cancelled", "\"delayMs\":" + HOUR_MS);
    HttpResponse<String> cancel = send(A, "DELETE", "/jobs/" + id);
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
    Instant before = Instant.now();

    HttpResponse<String> replay = replay(A, id);

    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    Job replayed = NodeClient.parse(replay.body(), Job.class);
    assertThat(replayed.nextAttemptAt()).isBefore(before.plusSeconds(60));
    awaitStatus(A, id, JobStatus.SUCCEEDED);
    assertThat(receiver.deliveries(id)).hasSize(1);
  }

  @Test
  void pendingAndSucceededJobsAreNotReplayable() {
    String pending = submit(A, "pending", "/pending", "\"delayMs\":" + HOUR_MS);
    String succeeded = submit(A, "succeeded", "/succeeded", FAST_RETRY);
    awaitStatus(A, succeeded, JobStatus.SUCCEEDED);

    HttpResponse<String> r1 = replay(A, pending);
    HttpResponse<String> r2 = replay(A, succeeded);

    assertProblem(r1, 409, "job-not-replayable");
    assertThat(r1.body()).contains("PENDING");
    assertProblem(r2, 409, "job-not-replayable");
    assertThat(r2.body()).contains("SUCCEEDED");
    assertThat(job(A, shard.awaitLeader(), succeeded).attempts()).hasSize(1);
  }

  @Test
  void unknownOtherTenantsAndBadIdsAreRefused() {
    receiver.script("/isolated", RecordingReceiver.status(400));
    String id = submit(A, "isolated", "/isolated", FAST_RETRY);
    awaitStatus(A, id, JobStatus.FAILED);

    assertProblem(replay(B, id), 404, "job-not-found");
    assertProblem(replay(A, "no-such-job"), 404, "job-not-found");
    assertProblem(send(A, "POST", "/jobs/" + "x".repeat(200) + ":replay"), 400, "bad-request");
    assertProblem(send(A, "POST", "/jobs/" + id + ":rerun"), 404, "not-found");
    assertProblem(send(A, "POST", "/jobs/" + id), 404, "not-found");
    assertThat(job(A, shard.awaitLeader(), id).status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void idsWithColonsAreSplitAtTheLastOne() {
    receiver.script("/colon", RecordingReceiver.status(400));
    String id = submit(A, "ns:colon", "/colon", FAST_RETRY);
    awaitStatus(A, id, JobStatus.FAILED);

    assertThat(replay(A, id).statusCode()).isEqualTo(200);

    awaitStatus(A, id, JobStatus.SUCCEEDED);
  }

  @Test
  void replayBeyondTheTenantsPendingQuotaIsRefused() {
    receiver.script("/quota", RecordingReceiver.status(400));
    String failed = submit(Q, "quota-failed", "/quota", FAST_RETRY);
    awaitStatus(Q, failed, JobStatus.FAILED);
    String parked = submit(Q, "quota-parked", "/quota-parked", "\"delayMs\":" + HOUR_MS);

    HttpResponse<String> refused = replay(Q, failed);
    // At its quota the tenant still learns what is not replayable at all.
    HttpResponse<String> pending = replay(Q, parked);

    assertProblem(refused, 429, "quota-exceeded");
    assertProblem(pending, 409, "job-not-replayable");
    assertThat(job(Q, shard.awaitLeader(), failed).status()).isEqualTo(JobStatus.FAILED);
    assertThat(send(Q, "DELETE", "/jobs/" + parked).statusCode()).isEqualTo(200);
    assertThat(replay(Q, failed).statusCode()).isEqualTo(200);
  }

  @Test
  void bulkOperationsAreTheTenantsOwn() {
    HttpResponse<String> ofA =
        send(
            A,
            HttpRequest.newBuilder(URI.create(shard.url(shard.awaitLeader()) + "/jobs:replay"))
                .header("Idempotency-Key", "same-key")
                .POST(BodyPublishers.ofString("{\"host\":\"nowhere.example\"}")));
    HttpResponse<String> ofB =
        send(
            B,
            HttpRequest.newBuilder(URI.create(shard.url(shard.awaitLeader()) + "/jobs:replay"))
                .header("Idempotency-Key", "same-key")
                .POST(BodyPublishers.ofString("{}")));

    assertThat(ofA.statusCode()).as(ofA.body()).isEqualTo(202);
    assertThat(ofB.statusCode()).as(ofB.body()).isEqualTo(202);
    String idOfA = NodeClient.tree(ofA.body()).get("id").asText();
    assertThat(NodeClient.tree(ofB.body()).get("id").asText()).isNotEqualTo(idOfA);
    assertProblem(send(B, "GET", "/operations/" + idOfA), 404, "not-found");
    assertThat(send(A, "GET", "/operations/" + idOfA).statusCode()).isEqualTo(200);
  }

  private String submit(String key, String id, String path, String extra) {
    String json =
        "{\"id\":\"%s\",\"url\":\"%s\",\"body\":\"{}\",%s}"
            .formatted(id, receiver.url(path), extra);
    HttpResponse<String> r =
        send(
            key,
            HttpRequest.newBuilder(URI.create(shard.url(shard.awaitLeader()) + "/jobs"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return NodeClient.parse(r.body(), Job.class).id();
  }

  private HttpResponse<String> replay(String key, String id) {
    return send(key, "POST", "/jobs/" + id + ":replay");
  }

  private Job job(String key, int node, String id) {
    HttpResponse<String> r =
        send(key, HttpRequest.newBuilder(URI.create(shard.url(node) + "/jobs/" + id)).GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return NodeClient.parse(r.body(), Job.class);
  }

  private void awaitStatus(String key, String id, JobStatus status) {
    await(id + " " + status)
        .atMost(TIMEOUT)
        .until(() -> job(key, shard.awaitLeader(), id).status() == status);
  }

  private HttpResponse<String> send(String key, String method, String path) {
    return send(
        key,
        HttpRequest.newBuilder(URI.create(shard.url(shard.awaitLeader()) + path))
            .method(method, BodyPublishers.noBody()));
  }

  private HttpResponse<String> send(String key, HttpRequest.Builder request) {
    try {
      return http.send(
          request.header("Authorization", "Bearer " + key).timeout(TIMEOUT).build(),
          BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(NodeClient.tree(r.body()).get("type").asText()).endsWith("/" + type);
  }
}
