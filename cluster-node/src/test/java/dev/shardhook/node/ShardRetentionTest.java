package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention and the disk reserve on a real three-node shard: finished jobs and their idempotency
 * records leave every replica, pending jobs stay, and a nearly full disk refuses new jobs with 507
 * while deliveries and purges go on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardRetentionTest extends ShardFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long MIN_FREE = 1L << 20;

  @TempDir static Path dir;

  private final AtomicLongArray freeBytes = new AtomicLongArray(3);

  @BeforeAll
  void start() {
    for (int i = 0; i < 3; i++) {
      freeBytes.set(i, Long.MAX_VALUE);
    }
    shard =
        TestShard.start(
            dir,
            b ->
                b.retention(Duration.ofSeconds(1))
                    .idempotencyWindow(Duration.ofSeconds(1))
                    .minFreeDiskBytes(MIN_FREE),
            i -> () -> freeBytes.get(i));
  }

  private String hook() {
    return receiver.url("/retention");
  }

  private Job submit(String base, String json, String... headers) {
    HttpResponse<String> r = client.post(base + "/jobs", json, headers);
    // 200: a replay, when a leader change made the proposal commit twice (applied once).
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return NodeClient.parse(r.body(), Job.class);
  }

  private void awaitStatus(String id, JobStatus expected) {
    await("job " + id + " " + expected)
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> client.job(shard.url(shard.awaitLeader()), id).status() == expected);
  }

  @Test
  void finishedJobsAndTheirKeysLeaveEveryReplicaWhilePendingJobsStay() {
    String base = shard.url(shard.awaitLeader());
    Job pending =
        submit(
            base,
            "{\"url\":\"" + hook() + "\",\"runAt\":\"" + Instant.now().plusSeconds(3600) + "\"}",
            "Idempotency-Key",
            "keep");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(submit(base, "{\"url\":\"" + hook() + "\"}", "Idempotency-Key", "rk-" + i).id());
    }
    await("every job delivered")
        .atMost(TIMEOUT)
        .until(() -> ids.stream().allMatch(id -> !receiver.deliveries(id).isEmpty()));

    await("finished jobs purged on every replica")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (int n = 0; n < 3; n++) {
                ShardNode node = shard.node(n);
                for (int i = 0; i < ids.size(); i++) {
                  if (node.store().job(ids.get(i)).isPresent()
                      || node.store().idempotency("rk-" + i).isPresent()) {
                    return false;
                  }
                }
                if (node.status().stored() != node.status().pending()) {
                  return false;
                }
              }
              return true;
            });
    for (int n = 0; n < 3; n++) {
      ShardNode node = shard.node(n);
      assertThat(node.store().job(pending.id())).isPresent();
      assertThat(node.store().idempotency("keep")).isPresent();
      assertThat(node.status().pending()).isPositive();
      HttpResponse<String> status = client.get(shard.url(n) + "/status");
      assertThat(NodeClient.tree(status.body()).get("stored").asLong())
          .isEqualTo(node.status().stored());
    }
    HttpResponse<String> gone = client.get(base + "/jobs/" + ids.get(0));
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(client.job(base, pending.id()).status()).isEqualTo(JobStatus.PENDING);
    assertThat(client.get(base + "/metrics").body()).contains("shardhook_stored_jobs");
  }

  @Test
  void aNearlyFullDiskRefusesNewJobsWith507AndKeepsDeliveringAndPurging() {
    String job = "{\"url\":\"" + hook() + "\",\"delayMs\":1500}";
    Job waiting = submit(shard.url(shard.awaitLeader()), job);
    try {
      // Only the leader's disk is low: a follower forwards the job, and the leader refuses it.
      // Looked up on every try, since a leader change on a busy machine moves the low disk along.
      await("the leader refuses a job a follower forwards")
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                int leader = shard.awaitLeader();
                for (int i = 0; i < 3; i++) {
                  freeBytes.set(i, i == leader ? MIN_FREE - 1 : Long.MAX_VALUE);
                }
                return client.post(shard.url(shard.follower(leader)) + "/jobs", job).statusCode()
                    == 507;
              });
      for (int i = 0; i < 3; i++) {
        freeBytes.set(i, 0);
      }
      int leader = shard.awaitLeader();
      HttpResponse<String> refused = client.post(shard.url(leader) + "/jobs", job);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
      assertThat(refused.headers().firstValue("Retry-After")).contains("30");
      assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/problem+json");
      assertThat(NodeClient.tree(refused.body()).get("type").asText())
          .endsWith("insufficient-storage");

      awaitStatus(waiting.id(), JobStatus.SUCCEEDED);
      assertThat(receiver.deliveries(waiting.id())).isNotEmpty();
      await("the delivered job purged while the disk is full")
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> shard.node(shard.awaitLeader()).store().job(waiting.id()).isEmpty());
    } finally {
      for (int i = 0; i < 3; i++) {
        freeBytes.set(i, Long.MAX_VALUE);
      }
    }
    await("jobs accepted again once space is back")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> client.post(shard.url(shard.awaitLeader()) + "/jobs", job).statusCode() == 201);
  }
}
