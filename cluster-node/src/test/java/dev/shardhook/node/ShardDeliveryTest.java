package dev.shardhook.node;

import static dev.shardhook.node.testing.RecordingReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.Attempt;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries through a real three-node shard to a real HTTP receiver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardDeliveryTest extends ShardFixture {
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  @BeforeAll
  void start() {
    shard = TestShard.start(dir, b -> b.workers(64));
  }

  private String hook(String path) {
    return receiver.url(path);
  }

  private Job submit(String base, String json) {
    HttpResponse<String> r = client.post(base + "/jobs", json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return NodeClient.parse(r.body(), Job.class);
  }

  private Job awaitFinal(String id, JobStatus expected) {
    String base = leaderUrl();
    Job[] last = new Job[1];
    await("job " + id + " " + expected)
        .atMost(DELIVERY_TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> (last[0] = client.job(base, id)).status() == expected);
    return last[0];
  }

  @Test
  void aJobKeepsItsQueueAndOrderingKeyThroughTheLogAndTheStore() {
    String url = hook("/named");
    Job accepted =
        submit(
            leaderUrl(),
            "{\"url\":\"" + url + "\",\"queue\":\"billing\",\"orderingKey\":\"cust-42\"}");
    assertThat(accepted.queue()).isEqualTo("billing");
    assertThat(accepted.orderingKey()).isEqualTo("cust-42");

    Job done = awaitFinal(accepted.id(), JobStatus.SUCCEEDED);
    assertThat(done.queue()).isEqualTo("billing");
    assertThat(done.orderingKey()).isEqualTo("cust-42");
    Job plain = submit(leaderUrl(), "{\"url\":\"" + url + "\"}");
    assertThat(plain.queue()).isEqualTo("default");
    assertThat(plain.orderingKey()).isNull();

    HttpResponse<String> bad =
        client.post(leaderUrl() + "/jobs", "{\"url\":\"" + url + "\",\"queue\":\"no/slash\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("queue:");
  }

  @Test
  void aThousandJobsAreAllDeliveredAndSucceed() throws Exception {
    String base = leaderUrl();
    String url = hook("/bulk");
    List<String> ids = new ArrayList<>();
    // Concurrent single submissions, so group commit shares entries between them.
    try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
      List<Future<Job>> accepted = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String json = "{\"url\":\"" + url + "\",\"body\":\"{\\\"n\\\":" + i + "}\"}";
        accepted.add(pool.submit(() -> submit(base, json)));
      }
      for (Future<Job> f : accepted) {
        ids.add(f.get().id());
      }
    }

    assertThat(ids).doesNotHaveDuplicates().hasSize(1000);
    await("every job delivered")
        .atMost(DELIVERY_TIMEOUT)
        .until(() -> ids.stream().allMatch(id -> !receiver.deliveries(id).isEmpty()));
    await("every job SUCCEEDED")
        .atMost(DELIVERY_TIMEOUT)
        .until(
            () ->
                ids.stream().allMatch(id -> client.job(base, id).status() == JobStatus.SUCCEEDED));
    for (String id : ids) {
      Job job = client.job(base, id);
      assertThat(job.attempts()).hasSize(1);
      assertThat(job.attempts().get(0).statusCode()).isEqualTo(200);
      assertThat(receiver.deliveries(id)).hasSize(1);
    }
  }

  @Test
  void receiverFailingTwiceThenSucceedingTakesThreeAttempts() {
    String path = "/flaky-" + UUID.randomUUID();
    receiver.script(path, status(500), status(503));

    Job job =
        submit(
            leaderUrl(),
            "{\"url\":\""
                + hook(path)
                + "\",\"retry\":{\"initialBackoffMs\":50,\"maxBackoffMs\":100}}");

    Job done = awaitFinal(job.id(), JobStatus.SUCCEEDED);
    assertThat(done.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3);
    assertThat(done.attempts()).extracting(Attempt::statusCode).containsExactly(500, 503, 200);
    assertThat(done.attempts().get(0).error()).isEqualTo("HTTP 500");
    assertThat(receiver.deliveries(job.id())).hasSize(3);
  }

  @Test
  void notFoundFailsTheJobAfterOneAttempt() {
    String path = "/gone-" + UUID.randomUUID();
    receiver.script(path, status(404));

    Job job = submit(leaderUrl(), "{\"url\":\"" + hook(path) + "\"}");

    Job done = awaitFinal(job.id(), JobStatus.FAILED);
    assertThat(done.attempts()).hasSize(1);
    assertThat(done.attempts().get(0).statusCode()).isEqualTo(404);
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.nextAttemptAt()).isNull();
  }

  @Test
  void retryAfterOn429SetsTheNextAttempt() {
    String path = "/busy-" + UUID.randomUUID();
    receiver.script(path, status(429, "Retry-After", "2"));

    // Without Retry-After the second attempt would come within 10 ms; the cap is 4 x 1 s.
    Job job =
        submit(
            leaderUrl(),
            "{\"url\":\""
                + hook(path)
                + "\",\"retry\":{\"initialBackoffMs\":10,\"maxBackoffMs\":1000}}");

    Job done = awaitFinal(job.id(), JobStatus.SUCCEEDED);
    assertThat(done.attempts()).hasSize(2);
    Attempt first = done.attempts().get(0);
    Attempt second = done.attempts().get(1);
    assertThat(first.statusCode()).isEqualTo(429);
    long gapMs =
        Duration.between(first.startedAt(), second.startedAt()).toMillis() - first.durationMs();
    assertThat(gapMs).isGreaterThanOrEqualTo(1_900);
  }

  @Test
  void cancellingAScheduledJobStopsItsDelivery() {
    String base = leaderUrl();
    Job job = submit(base, "{\"url\":\"" + hook("/later") + "\",\"delayMs\":60000}");
    assertThat(job.status()).isEqualTo(JobStatus.PENDING);

    HttpResponse<String> cancel = client.send("DELETE", base + "/jobs/" + job.id());
    HttpResponse<String> again = client.send("DELETE", base + "/jobs/" + job.id());

    assertThat(cancel.statusCode()).isEqualTo(200);
    assertThat(NodeClient.parse(cancel.body(), Job.class).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(client.job(base, job.id()).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(client.send("DELETE", base + "/jobs/no-such-job").statusCode()).isEqualTo(404);
    assertThat(receiver.deliveries(job.id())).isEmpty();
  }

  @Test
  void anyNodeAcceptsAndServesJobs() {
    int leader = shard.awaitLeader();
    int follower = shard.follower(leader);
    int other = 3 - leader - follower;

    Job job = submit(shard.url(follower), "{\"url\":\"" + hook("/via-follower") + "\"}");

    assertThat(client.job(shard.url(other), job.id()).id()).isEqualTo(job.id());
    Job done = awaitFinal(job.id(), JobStatus.SUCCEEDED);
    assertThat(done.shardId()).isEqualTo("shard-t");
    assertThat(receiver.deliveries(job.id())).hasSize(1);
  }

  @Test
  void sameIdempotencyKeyReplaysAndADifferentRequestIsRefused() {
    String base = leaderUrl();
    String key = "order-" + UUID.randomUUID();
    String request = "{\"url\":\"" + hook("/idem") + "\",\"body\":\"a\"}";

    HttpResponse<String> first = client.post(base + "/jobs", request, "Idempotency-Key", key);
    HttpResponse<String> replay = client.post(base + "/jobs", request, "Idempotency-Key", key);
    HttpResponse<String> changed =
        client.post(
            base + "/jobs",
            "{\"url\":\"" + hook("/idem") + "\",\"body\":\"b\"}",
            "Idempotency-Key",
            key);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    String id = NodeClient.parse(first.body(), Job.class).id();
    assertThat(NodeClient.parse(replay.body(), Job.class).id()).isEqualTo(id);
    assertThat(changed.statusCode()).isEqualTo(422);
    awaitFinal(id, JobStatus.SUCCEEDED);
    assertThat(receiver.deliveries(id)).hasSize(1);
  }

  @Test
  void batchAnswersEachItemInOrder() {
    String base = leaderUrl();
    String batch =
        "[{\"url\":\""
            + hook("/batch")
            + "\"},{\"url\":\"ftp://example.com/x\"},{\"url\":\""
            + hook("/batch")
            + "\",\"id\":\"batch-"
            + UUID.randomUUID()
            + "\"}]";

    HttpResponse<String> r = client.post(base + "/jobs:batch", batch);

    assertThat(r.statusCode()).isEqualTo(207);
    JsonNode items = NodeClient.tree(r.body());
    assertThat(items).hasSize(3);
    assertThat(items.get(0).get("status").asInt()).isEqualTo(201);
    assertThat(items.get(1).get("status").asInt()).isEqualTo(400);
    assertThat(items.get(1).get("problem").get("detail").asText()).contains("url");
    assertThat(items.get(2).get("status").asInt()).isEqualTo(201);
    awaitFinal(items.get(2).get("job").get("id").asText(), JobStatus.SUCCEEDED);
  }

  @Test
  void badInputAnswersAProblemWithA4xxStatus() {
    String base = leaderUrl();
    String big = "x".repeat(NodeConfig.DEFAULT_MAX_BODY_BYTES + 1);
    record Case(String what, HttpResponse<String> response, int status) {}
    List<Case> cases =
        List.of(
            new Case("broken JSON", client.post(base + "/jobs", "{broken"), 400),
            new Case("no url", client.post(base + "/jobs", "{\"body\":\"x\"}"), 400),
            new Case(
                "ftp url", client.post(base + "/jobs", "{\"url\":\"ftp://example.com/\"}"), 400),
            new Case(
                "bad method",
                client.post(
                    base + "/jobs", "{\"url\":\"" + hook("/x") + "\",\"method\":\"TRACE\"}"),
                400),
            new Case(
                "runAt and delayMs",
                client.post(
                    base + "/jobs",
                    "{\"url\":\""
                        + hook("/x")
                        + "\",\"delayMs\":5,\"runAt\":\"2030-01-01T00:00:00Z\"}"),
                400),
            new Case(
                "body too large",
                client.post(
                    base + "/jobs", "{\"url\":\"" + hook("/x") + "\",\"body\":\"" + big + "\"}"),
                413),
            new Case("batch not an array", client.post(base + "/jobs:batch", "{}"), 400),
            new Case("unknown job", client.get(base + "/jobs/nope"), 404),
            new Case("unknown path", client.get(base + "/nowhere"), 404),
            new Case("wrong method", client.send("PUT", base + "/jobs"), 405));

    for (Case c : cases) {
      assertThat(c.response().statusCode())
          .as(c.what() + ": " + c.response().body())
          .isEqualTo(c.status());
      assertThat(c.response().headers().firstValue("Content-Type"))
          .as(c.what())
          .hasValue("application/problem+json");
      JsonNode problem = NodeClient.tree(c.response().body());
      assertThat(problem.get("status").asInt()).as(c.what()).isEqualTo(c.status());
      assertThat(problem.get("title").asText()).as(c.what()).isNotBlank();
      assertThat(problem.get("type").asText()).as(c.what()).isNotBlank();
    }
  }

  @Test
  void statusAndMetricsDescribeTheLeader() {
    int leader = shard.awaitLeader();
    submit(shard.url(leader), "{\"url\":\"" + hook("/metrics") + "\"}");

    JsonNode status = NodeClient.tree(client.get(shard.url(leader) + "/status").body());
    JsonNode followerStatus =
        NodeClient.tree(client.get(shard.url(shard.follower(leader)) + "/status").body());
    String metrics = client.get(shard.url(leader) + "/metrics").body();

    assertThat(status.get("role").asText()).isEqualTo("LEADER");
    assertThat(status.get("shardId").asText()).isEqualTo("shard-t");
    assertThat(status.get("term").asLong()).isPositive();
    assertThat(followerStatus.get("role").asText()).isEqualTo("FOLLOWER");
    assertThat(followerStatus.get("leaderId").asText()).isEqualTo(status.get("nodeId").asText());
    assertThat(metrics)
        .contains("shardhook_jobs_accepted_total")
        .contains("shardhook_jobs_rejected_total{reason=\"queue_full\"}")
        .contains("shardhook_attempts_total{outcome=\"success\"}")
        .contains("shardhook_delivery_latency_seconds_bucket")
        .contains("shardhook_pending")
        .contains("shardhook_running")
        .contains("shardhook_raft_term")
        .contains("shardhook_raft_leader 1.0");
    assertThat(client.get(shard.url(leader) + "/ready").statusCode()).isEqualTo(200);
    assertThat(client.get(shard.url(leader) + "/health").statusCode()).isEqualTo(200);
  }
}
