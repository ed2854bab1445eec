package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Named queues (README, "Queues") on a real three-node shard with a real receiver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueuesTest extends ShardFixture {
  private static final Duration LONG = Duration.ofSeconds(90);

  @TempDir static Path dir;
  @AutoClose final PacedReceiver paced = new PacedReceiver();

  @BeforeAll
  void start() {
    shard = TestShard.start(dir, b -> b.workers(64));
  }

  private JsonNode put(String name, String json, int expected) {
    HttpResponse<String> r = client.put(leaderUrl() + "/queues/" + name, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
    return NodeClient.tree(r.body());
  }

  private JsonNode queue(String name) {
    HttpResponse<String> r = client.get(leaderUrl() + "/queues/" + name);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return NodeClient.tree(r.body());
  }

  private HttpResponse<String> action(String name, String action) {
    return client.post(leaderUrl() + "/queues/" + name + ":" + action, "");
  }

  /** Submits {@code n} jobs of {@code queue} to {@code path} in batches; their ids. */
  private List<String> submit(String queue, String path, int n) {
    List<String> ids = new ArrayList<>();
    for (int from = 0; from < n; from += 500) {
      StringJoiner batch = new StringJoiner(",", "[", "]");
      for (int i = from; i < Math.min(n, from + 500); i++) {
        batch.add("{\"url\":\"" + paced.url(path) + "\",\"queue\":\"" + queue + "\"}");
      }
      HttpResponse<String> r = client.post(leaderUrl() + "/jobs:batch", batch.toString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      for (JsonNode item : NodeClient.tree(r.body())) {
        assertThat(item.path("status").asInt()).as(item.toString()).isEqualTo(201);
        ids.add(item.path("job").path("id").asText());
      }
    }
    assertThat(ids).hasSize(n);
    return ids;
  }

  @Test
  void aQueueIsValidatedStoredAndShownWithItsShareOfTheLimits() {
    JsonNode created =
        put(
            "billing",
            "{\"ratePerSecond\":20,\"maxConcurrency\":20,\"retry\":{\"maxAttempts\":2},"
                + "\"orderingOnFailure\":\"skip\"}",
            201);
    assertThat(created.path("burst").asInt()).isEqualTo(20);
    assertThat(created.path("limits").path("scope").asText()).isEqualTo("divided");
    assertThat(created.path("limits").path("shards").asInt()).isEqualTo(1);
    assertThat(created.path("orderingOnFailure").asText()).isEqualTo("skip");
    assertThat(created.path("onDestinationDisabled").asText()).isEqualTo("wait");

    HttpResponse<String> three =
        client.put(
            leaderUrl() + "/queues/billing?shards=3",
            "{\"ratePerSecond\":20,\"maxConcurrency\":20}");
    assertThat(three.statusCode()).as(three.body()).isEqualTo(200);
    JsonNode perShard = NodeClient.tree(three.body()).path("limits").path("perShard");
    assertThat(perShard.path("ratePerSecond").asDouble()).isEqualTo(6.67);
    assertThat(perShard.path("maxConcurrency").asInt()).isEqualTo(7);

    // A job takes its queue's retry defaults for the fields it leaves out.
    put("retrying", "{\"retry\":{\"maxAttempts\":2,\"initialBackoffMs\":5}}", 201);
    HttpResponse<String> job =
        client.post(
            leaderUrl() + "/jobs",
            "{\"url\":\"" + paced.url("/retrying") + "\",\"queue\":\"retrying\"}");
    assertThat(job.statusCode()).as(job.body()).isEqualTo(201);
    Job accepted = NodeClient.parse(job.body(), Job.class);
    assertThat(accepted.retry().maxAttempts()).isEqualTo(2);
    assertThat(accepted.retry().initialBackoffMs()).isEqualTo(5);

    HttpResponse<String> unknown =
        client.post(
            leaderUrl() + "/jobs", "{\"url\":\"" + paced.url("/x") + "\",\"queue\":\"nope\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("unknown-queue").contains("queue:");

    assertThat(client.put(leaderUrl() + "/queues/bad.name", "{}").statusCode()).isEqualTo(400);
    assertThat(client.put(leaderUrl() + "/queues/q", "{\"ratePerSecond\":0}").statusCode())
        .isEqualTo(400);
    assertThat(client.put(leaderUrl() + "/queues/q", "{\"burst\":3}").statusCode()).isEqualTo(400);
    assertThat(client.put(leaderUrl() + "/queues/q", "{\"maxConcurrency\":0}").statusCode())
        .isEqualTo(400);
    assertThat(client.put(leaderUrl() + "/queues/q", "{\"orderingOnFailure\":\"x\"}").statusCode())
        .isEqualTo(400);
    assertThat(client.put(leaderUrl() + "/queues/q", "{\"speed\":1}").statusCode()).isEqualTo(400);
    assertThat(client.put(leaderUrl() + "/queues/q?shards=0", "{}").statusCode()).isEqualTo(400);
    assertThat(client.get(leaderUrl() + "/queues/missing").statusCode()).isEqualTo(404);
    assertThat(client.send("DELETE", leaderUrl() + "/queues/missing").statusCode()).isEqualTo(404);
    HttpResponse<String> deleteDefault = client.send("DELETE", leaderUrl() + "/queues/default");
    assertThat(deleteDefault.statusCode()).isEqualTo(409);
    assertThat(deleteDefault.body()).contains("queue-conflict");

    JsonNode implicit = queue("default");
    assertThat(implicit.path("configured").asBoolean()).isFalse();
    JsonNode list = NodeClient.tree(client.get(leaderUrl() + "/queues").body());
    List<String> names = new ArrayList<>();
    list.path("queues").forEach(q -> names.add(q.path("name").asText()));
    assertThat(names).contains("default", "billing", "retrying");
  }

  @Test
  void pauseStopsDeliveriesAndResumeRestartsThem() {
    put("pz", "{\"paused\":true}", 201);
    PacedReceiver.Path path = paced.path("/pz");
    List<String> ids = submit("pz", "/pz", 10);
    await("queue depth").atMost(LONG).until(() -> queue("pz").path("depth").asLong() == 10);
    String metrics = client.get(leaderUrl() + "/metrics").body();
    assertThat(metrics).contains("shardhook_queue_depth{queue=\"pz\"");
    assertThat(metrics).contains("shardhook_queue_paused_skipped_total");
    await("nothing delivered while paused")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> path.count() == 0);

    HttpResponse<String> del = client.send("DELETE", leaderUrl() + "/queues/pz");
    assertThat(del.statusCode()).isEqualTo(409);
    assertThat(del.body()).contains("pending");

    assertThat(action("pz", "resume").statusCode()).isEqualTo(200);
    await("delivered after resume").atMost(LONG).until(() -> path.count() >= 10);
    await("counts")
        .atMost(LONG)
        .until(
            () -> {
              JsonNode q = queue("pz");
              return q.path("depth").asLong() == 0 && q.path("delivered").asLong() == 10;
            });
    assertThat(client.job(leaderUrl(), ids.getFirst()).status()).isEqualTo(JobStatus.SUCCEEDED);

    // Paused again, new jobs wait again.
    assertThat(action("pz", "pause").statusCode()).isEqualTo(200);
    assertThat(queue("pz").path("paused").asBoolean()).isTrue();
    submit("pz", "/pz", 3);
    await("nothing more while paused again")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> path.count() == 10);
    assertThat(action("pz", "resume").statusCode()).isEqualTo(200);
    await("delivered after the second resume").atMost(LONG).until(() -> path.count() >= 13);
    await("empty").atMost(LONG).until(() -> queue("pz").path("depth").asLong() == 0);
    assertThat(client.send("DELETE", leaderUrl() + "/queues/pz").statusCode()).isEqualTo(200);
    assertThat(client.get(leaderUrl() + "/queues/pz").statusCode()).isEqualTo(404);
  }

  @Test
  void purgeCancelsThePendingJobsOfThatQueueOnly() {
    put("pg", "{\"paused\":true}", 201);
    put("keep", "{\"paused\":true}", 201);
    List<String> purged = submit("pg", "/pg", 1200);
    List<String> kept = submit("keep", "/keep", 5);

    HttpResponse<String> r = action("pg", "purge");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(NodeClient.tree(r.body()).path("cancelled").asLong()).isEqualTo(1200);
    assertThat(client.job(leaderUrl(), purged.getFirst()).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(client.job(leaderUrl(), purged.getLast()).status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(queue("pg").path("depth").asLong()).isZero();
    assertThat(queue("keep").path("depth").asLong()).isEqualTo(5);
    assertThat(client.job(leaderUrl(), kept.getFirst()).status()).isEqualTo(JobStatus.PENDING);

    assertThat(action("keep", "resume").statusCode()).isEqualTo(200);
    await("the other queue delivers").atMost(LONG).until(() -> paced.path("/keep").count() >= 5);
    assertThat(action("pg", "resume").statusCode()).isEqualTo(200);
    await("nothing of the purged queue")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> paced.path("/pg").count() == 0);
  }

  @Test
  void jobsAreListedByQueueAcrossPages() {
    put("listed", "{\"paused\":true}", 201);
    List<String> ids = submit("listed", "/listed", 5);
    submit("default", "/unlisted", 3);
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<String> r =
          client.get(
              leaderUrl()
                  + "/jobs?queue=listed&limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode page = NodeClient.tree(r.body());
      page.path("jobs").forEach(j -> seen.add(j.path("id").asText()));
      page.path("jobs").forEach(j -> assertThat(j.path("queue").asText()).isEqualTo("listed"));
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
    } while (cursor != null);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(client.get(leaderUrl() + "/jobs?queue=a.b").statusCode()).isEqualTo(400);
    assertThat(action("listed", "purge").statusCode()).isEqualTo(200);
  }

  @Test
  void aLimitedQueueDoesNotHoldUpOtherQueuesToTheSameReceiver() {
    put("trickle", "{\"ratePerSecond\":1}", 201);
    put("open", "{}", 201);
    // The same host and port: one destination for the dispatcher.
    submit("trickle", "/same-host-trickle", 50);
    submit("open", "/same-host-open", 30);
    await("the unlimited queue is delivered")
        .atMost(LONG)
        .until(() -> paced.path("/same-host-open").count() >= 30);
    assertThat(paced.path("/same-host-trickle").count()).as("held to 1/s").isLessThan(30);
    assertThat(action("trickle", "purge").statusCode()).isEqualTo(200);
  }

  @Test
  void maxConcurrencyIsNeverExceeded() {
    put("narrow", "{\"maxConcurrency\":3}", 201);
    PacedReceiver.Path path = paced.path("/narrow");
    path.latencyMs = 150;
    submit("narrow", "/narrow", 40);
    await("all delivered").atMost(LONG).until(() -> path.count() >= 40);
    assertThat(path.maxInProgress.get()).isBetween(1, 3);
  }

  @Test
  void configSurvivesALeaderChange() throws Exception {
    put("durable", "{\"ratePerSecond\":5,\"maxConcurrency\":2,\"paused\":true}", 201);
    int leader = shard.awaitLeader();
    shard.transferLeadership(shard.follower(leader));
    await("new leader").atMost(LONG).until(() -> shard.awaitLeader() != leader);
    JsonNode q = queue("durable");
    assertThat(q.path("ratePerSecond").asDouble()).isEqualTo(5.0);
    assertThat(q.path("maxConcurrency").asInt()).isEqualTo(2);
    assertThat(q.path("paused").asBoolean()).isTrue();
    // A job may name it on a follower at once: the follower catches up before it says unknown.
    put("fresh", "{}", 201);
    int leaderNow = shard.awaitLeader();
    HttpResponse<String> onFollower =
        client.post(
            shard.url(shard.follower(leaderNow)) + "/jobs",
            "{\"url\":\"" + paced.url("/fresh") + "\",\"queue\":\"fresh\"}");
    assertThat(onFollower.statusCode()).as(onFollower.body()).isEqualTo(201);
    // Every node holds it: a follower answers the same.
    int now = shard.awaitLeader();
    HttpResponse<String> fromFollower =
        client.get(shard.url(shard.follower(now)) + "/queues/durable");
    assertThat(NodeClient.tree(fromFollower.body()).path("paused").asBoolean()).isTrue();
  }

  /**
   * A queue at 20/s: over 30 s of a large backlog, the receiver sees 20/s within 10 %. The window
   * starts 2 s after the first delivery, past the initial burst.
   */
  @Test
  void aRateOfTwentyPerSecondHoldsOverThirtySeconds() {
    put("paced", "{\"ratePerSecond\":20}", 201);
    PacedReceiver.Path path = paced.path("/paced");
    submit("paced", "/paced", 720);
    await("32 s of deliveries")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                path.count() > 0 && System.nanoTime() - path.arrivals.getFirst() > 32_500_000_000L);
    long start = path.arrivals.getFirst() + 2_000_000_000L;
    long end = start + 30_000_000_000L;
    long inWindow = path.arrivals.stream().filter(t -> t >= start && t < end).count();
    double rate = inWindow / 30.0;
    System.out.printf("queue at 20/s: %d deliveries in 30 s = %.2f/s%n", inWindow, rate);
    assertThat(rate).as("deliveries per second").isBetween(18.0, 22.0);
    assertThat(path.count()).as("backlog left").isLessThan(720);
  }
}
