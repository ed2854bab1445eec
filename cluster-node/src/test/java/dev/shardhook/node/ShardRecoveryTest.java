package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures of nodes under a real three-node shard: nothing acknowledged is lost. */
class ShardRecoveryTest extends ShardFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private String hook() {
    return receiver.url("/hook");
  }

  private List<String> submitConcurrently(String base, int n, String extraFields) throws Exception {
    List<String> ids = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String json = "{\"url\":\"" + hook() + "\"" + extraFields + "}";
        sent.add(pool.submit(() -> client.post(base + "/jobs", json)));
      }
      for (Future<HttpResponse<String>> f : sent) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        ids.add(NodeClient.parse(r.body(), Job.class).id());
      }
    }
    return ids;
  }

  private void awaitAllSucceeded(List<String> ids) {
    await("every acknowledged job SUCCEEDED")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        // a 503 while the shard elects a leader is an answer to retry, as a client would
        .ignoreExceptions()
        .until(
            () -> {
              String base = shard.url(shard.awaitLeader());
              return ids.stream()
                  .allMatch(id -> client.job(base, id).status() == JobStatus.SUCCEEDED);
            });
  }

  @Test
  void killingTheLeaderDuringDeliveriesLosesNoAcknowledgedJob() throws Exception {
    // No grace: the leader drops attempts in flight, as a crash would.
    shard = TestShard.start(dir, b -> b.workers(8).shutdownGrace(Duration.ZERO));
    receiver.latency(50);
    int leader = shard.awaitLeader();
    List<String> ids = submitConcurrently(shard.url(leader), 300, "");
    await().atMost(TIMEOUT).until(() -> receiver.distinctIds() >= 30);

    shard.stop(leader);
    int newLeader = shard.awaitLeader();

    assertThat(newLeader).isNotEqualTo(leader);
    awaitAllSucceeded(ids);
    assertThat(ids).allSatisfy(id -> assertThat(receiver.deliveries(id)).isNotEmpty());
    // The old leader comes back as a follower and catches up.
    shard.start(leader);
    await().atMost(TIMEOUT).until(() -> "FOLLOWER".equals(shard.node(leader).status().role()));
    await("the old leader serves the jobs again")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                client.job(shard.url(leader), ids.get(ids.size() - 1)).status()
                    == JobStatus.SUCCEEDED);
  }

  @Test
  void stoppingAndRestartingEveryNodeResumesPendingJobs() throws Exception {
    shard = TestShard.start(dir, b -> b);
    List<String> ids = submitConcurrently(shard.url(shard.awaitLeader()), 50, ",\"delayMs\":4000");
    assertThat(receiver.total()).isZero();

    shard.close();
    IntStream.range(0, 3).parallel().forEach(shard::start);
    int leader = shard.awaitLeader();

    assertThat(client.job(shard.url(leader), ids.get(0)).status())
        .isIn(JobStatus.PENDING, JobStatus.SUCCEEDED);
    awaitAllSucceeded(ids);
    assertThat(ids).allSatisfy(id -> assertThat(receiver.deliveries(id)).hasSize(1));
  }

  @Test
  void aFollowerThatMissedCompactedEntriesCatchesUpFromASnapshot() {
    shard = TestShard.start(dir, b -> b.snapshotThreshold(10).raftSegmentBytes(16 << 10));
    int leader = shard.awaitLeader();
    int follower = shard.follower(leader);
    long followerIndex = shard.node(follower).status().commitIndex();
    shard.stop(follower);

    // One entry per job (sequential submits), far in the future so no outcome entries follow.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> r =
          client.post(
              shard.url(leader) + "/jobs", "{\"url\":\"" + hook() + "\",\"delayMs\":3600000}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      ids.add(NodeClient.parse(r.body(), Job.class).id());
    }
    await("leader compacted its log past the follower")
        .atMost(TIMEOUT)
        .until(() -> shard.node(leader).firstLogIndex() > followerIndex + 1);

    shard.start(follower);

    await("follower caught up")
        .atMost(TIMEOUT)
        .until(
            () ->
                shard.node(follower).status().commitIndex()
                    >= shard.node(leader).status().commitIndex());
    // A linearizable read served by the follower itself sees every job.
    for (String id : ids) {
      assertThat(client.job(shard.url(follower), id).status()).isEqualTo(JobStatus.PENDING);
    }
    assertThat(shard.node(follower).status().pending()).isEqualTo(ids.size());
  }

  @Test
  void aFullQueueAnswers429WithRetryAfter() {
    shard = TestShard.start(dir, b -> b.maxPending(5));
    String base = shard.url(shard.awaitLeader());
    for (int i = 0; i < 5; i++) {
      assertThat(
              client
                  .post(base + "/jobs", "{\"url\":\"" + hook() + "\",\"delayMs\":600000}")
                  .statusCode())
          .isEqualTo(201);
    }

    HttpResponse<String> full =
        client.post(base + "/jobs", "{\"url\":\"" + hook() + "\",\"delayMs\":600000}");

    assertThat(full.statusCode()).isEqualTo(429);
    assertThat(full.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
    assertThat(full.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(NodeClient.tree(full.body()).get("status").asInt()).isEqualTo(429);
    assertThat(shard.node(shard.awaitLeader()).status().pending()).isEqualTo(5);
  }
}
