package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FIFO per ordering key through a real three-node shard, checked where it matters: in the order the
 * receiver saw the requests (README, "Ordering").
 */
class OrderingDeliveryTest extends ShardFixture {
  private static final Duration DONE = Duration.ofSeconds(180);
  private static final String FAST_RETRY =
      "\"retry\":{\"maxAttempts\":30,\"initialBackoffMs\":5,\"maxBackoffMs\":40,\"multiplier\":2}";

  @TempDir Path dir;
  @AutoClose final OrderReceiver orders = new OrderReceiver();

  /**
   * Records every request in arrival order; paths are {@code /<key>/<n>}. Answers 500 to a share of
   * requests (seeded), 400 to paths listed as refused, 200 otherwise.
   */
  static final class OrderReceiver extends Dispatcher implements AutoCloseable {
    record Seen(String key, int n, int status) {}

    final MockWebServer server = new MockWebServer();
    final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Random random = new Random(13);
    volatile double failShare;

    OrderReceiver() {
      server.setDispatcher(this);
      try {
        server.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String url(String key, int n) {
      return server.url("/" + key + "/" + n).toString();
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
      String[] parts = request.getUrl().encodedPath().split("/");
      String path = request.getUrl().encodedPath();
      int status;
      if (refused.contains(path)) {
        status = 400;
      } else {
        status = random.nextDouble() < failShare ? 500 : 200;
      }
      seen.add(new Seen(parts[1], Integer.parseInt(parts[2]), status));
      return new MockResponse.Builder().code(status).build();
    }

    /** The job numbers of {@code key} in the order requests arrived, with their answers. */
    List<Seen> of(String key) {
      return seen.stream().filter(s -> s.key().equals(key)).toList();
    }

    List<Integer> succeeded(String key) {
      return of(key).stream().filter(s -> s.status() == 200).map(Seen::n).distinct().toList();
    }

    @Override
    public void close() {
      server.close();
    }
  }

  private String item(String key, int n) {
    return "{\"url\":\""
        + orders.url(key, n)
        + "\",\"orderingKey\":\""
        + key
        + "\",\"id\":\""
        + key
        + "-"
        + n
        + "\","
        + FAST_RETRY
        + "}";
  }

  private void submitBatch(List<String> items) {
    for (int from = 0; from < items.size(); from += 500) {
      List<String> part = items.subList(from, Math.min(items.size(), from + 500));
      HttpResponse<String> r =
          client.post(leaderUrl() + "/jobs:batch", "[" + String.join(",", part) + "]");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      assertThat(r.body()).doesNotContain("\"status\":4").doesNotContain("\"status\":5");
    }
  }

  private Job job(String id) {
    return client.job(leaderUrl(), id);
  }

  private Job awaitStatus(String id, JobStatus status) {
    Job[] last = new Job[1];
    await(id + " " + status)
        .atMost(DONE)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> (last[0] = job(id)).status() == status);
    return last[0];
  }

  /** No attempt of job k+1 before the last attempt of job k; successes in submission order. */
  private static void assertInOrder(List<OrderReceiver.Seen> seen, List<Integer> succeeded, int n) {
    int highest = -1;
    for (OrderReceiver.Seen s : seen) {
      assertThat(s.n())
          .as("attempt of job %d after job %d had been attempted", s.n(), highest)
          .isGreaterThanOrEqualTo(highest);
      highest = s.n();
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i);
    }
    assertThat(succeeded).containsExactlyElementsOf(expected);
  }

  @Test
  void fiveHundredJobsOfOneKeyAndAFewOthersKeepTheirOrderThroughFailuresAndALeaderCrash() {
    shard = TestShard.start(dir, b -> b.workers(64));
    orders.failShare = 0.2;
    Map<String, Integer> keys = new LinkedHashMap<>();
    keys.put("one", 500);
    keys.put("two", 60);
    keys.put("three", 60);
    keys.put("four", 60);
    List<String> items = new ArrayList<>();
    // Interleaved, as concurrent producers would send them.
    for (int n = 0; n < 500; n++) {
      for (Map.Entry<String, Integer> k : keys.entrySet()) {
        if (n < k.getValue()) {
          items.add(item(k.getKey(), n));
        }
      }
    }
    submitBatch(items);

    int leader = shard.awaitLeader();
    await("a third of key one delivered")
        .atMost(DONE)
        .until(() -> orders.succeeded("one").size() >= 160);
    shard.kill(leader);
    shard.awaitLeader();

    awaitStatus("one-499", JobStatus.SUCCEEDED);
    keys.forEach((k, n) -> awaitStatus(k + "-" + (n - 1), JobStatus.SUCCEEDED));
    assertThat(orders.of("one").stream().filter(s -> s.status() == 500)).isNotEmpty();
    keys.forEach((k, n) -> assertInOrder(orders.of(k), orders.succeeded(k), n));
  }

  @Test
  void aFailedHeadBlocksItsKeyUntilReplayedOrCancelledAndTheWaitSurvivesARestart() {
    shard = TestShard.start(dir, b -> b.workers(16));
    orders.refused.add("/blocked/0");
    orders.refused.add("/cancelled/0");
    List<String> items = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      items.add(item("blocked", n));
      items.add(item("cancelled", n));
    }
    submitBatch(items);
    awaitStatus("blocked-0", JobStatus.FAILED);
    awaitStatus("cancelled-0", JobStatus.FAILED);

    await("ordering gauges")
        .atMost(DONE)
        .untilAsserted(
            () ->
                assertThat(client.get(leaderUrl() + "/metrics").body())
                    .contains("shardhook_ordering_blocked_keys 2.0")
                    .contains("shardhook_ordering_waiting_jobs 8.0")
                    .contains("shardhook_ordering_keys_active 2.0"));

    // A job submitted after the failure is delivered; the blocked keys' next ones are not.
    HttpResponse<String> marker =
        client.post(leaderUrl() + "/jobs", "{\"url\":\"" + orders.url("marker", 0) + "\"}");
    assertThat(marker.statusCode()).isEqualTo(201);
    await("marker").atMost(DONE).until(() -> !orders.of("marker").isEmpty());
    assertThat(orders.of("blocked")).extracting(OrderReceiver.Seen::n).containsOnly(0);
    Job waiting = job("blocked-1");
    assertThat(waiting.status()).isEqualTo(JobStatus.PENDING);
    assertThat(waiting.attempts()).isEmpty();
    assertThat(waiting.waitingFor()).isEqualTo("blocked-0");
    assertThat(job("blocked-0").waitingFor()).isNull();

    // Every node restarts; the keys still wait, in order.
    for (int i = 0; i < 3; i++) {
      shard.stop(i);
    }
    for (int i = 0; i < 3; i++) {
      shard.start(i);
    }
    shard.awaitLeader();
    assertThat(job("blocked-1").status()).isEqualTo(JobStatus.PENDING);
    assertThat(job("blocked-3").waitingFor()).isEqualTo("blocked-2");

    // Cancelling the failed head lets its key move on.
    HttpResponse<String> cancel = client.send("DELETE", leaderUrl() + "/jobs/cancelled-0");
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
    assertThat(NodeClient.parse(cancel.body(), Job.class).status()).isEqualTo(JobStatus.CANCELLED);
    awaitStatus("cancelled-4", JobStatus.SUCCEEDED);
    assertThat(orders.succeeded("cancelled")).containsExactly(1, 2, 3, 4);

    // Replaying it makes it the head again; the others follow once it succeeds.
    assertThat(orders.succeeded("blocked")).isEmpty();
    orders.refused.clear();
    HttpResponse<String> replay = client.post(leaderUrl() + "/jobs/blocked-0:replay", "");
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
    awaitStatus("blocked-4", JobStatus.SUCCEEDED);
    assertInOrder(orders.of("blocked"), orders.succeeded("blocked"), 5);
  }

  @Test
  void aKeyOfAQueueThatSkipsMovesOnAfterATerminalFailure() {
    shard = TestShard.start(dir, b -> b.workers(16));
    HttpResponse<String> put =
        client.put(leaderUrl() + "/queues/skipper", "{\"orderingOnFailure\":\"skip\"}");
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    orders.refused.add("/skipping/1");
    List<String> items = new ArrayList<>();
    for (int n = 0; n < 4; n++) {
      items.add(
          item("skipping", n).replace("\"orderingKey\"", "\"queue\":\"skipper\",\"orderingKey\""));
    }
    submitBatch(items);

    awaitStatus("skipping-3", JobStatus.SUCCEEDED);
    assertThat(job("skipping-1").status()).isEqualTo(JobStatus.FAILED);
    assertThat(orders.succeeded("skipping")).containsExactly(0, 2, 3);
    assertThat(orders.of("skipping")).extracting(OrderReceiver.Seen::n).containsExactly(0, 1, 2, 3);
  }
}
