package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.Attempt;
import dev.shardhook.api.Job;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /jobs:replay} and {@code GET /operations/{id}} on a real three-node shard delivering
 * to a real receiver: every failed job is replayed once and succeeds, the same key names the same
 * operation, and a leader lost mid-operation leaves the new leader to finish it.
 */
class BulkReplayTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final NodeClient client = new NodeClient();
  private final RecordingReceiver receiver = RecordingReceiver.start();
  private TestShard shard;

  @AfterEach
  void stop() {
    client.close();
    if (shard != null) {
      shard.close();
    }
    receiver.close();
  }

  private String leader() {
    return shard.url(shard.awaitLeader());
  }

  /** {@code count} jobs that the receiver refuses once (400: no retry), awaited to FAILED. */
  private List<String> failedJobs(String prefix, int count, int batch) {
    List<String> ids = new ArrayList<>();
    for (int from = 0; from < count; from += batch) {
      int to = Math.min(count, from + batch);
      List<String> jobs = new ArrayList<>();
      for (int i = from; i < to; i++) {
        String id = prefix + "-" + i;
        String path = "/" + id;
        receiver.script(path, RecordingReceiver.status(400));
        jobs.add("{\"id\":\"" + id + "\",\"url\":\"" + receiver.url(path) + "\"}");
        ids.add(id);
      }
      HttpResponse<String> r =
          client.post(leader() + "/jobs:batch", "[" + String.join(",", jobs) + "]");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      int expected = to;
      await("jobs failed").atMost(TIMEOUT).until(() -> failedCount() == expected);
    }
    return ids;
  }

  private int failedCount() {
    return NodeClient.tree(client.get(leader() + "/jobs?status=FAILED&limit=1000").body())
        .get("jobs")
        .size();
  }

  private JsonNode operation(String id) {
    HttpResponse<String> r = client.get(leader() + "/operations/" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return NodeClient.tree(r.body());
  }

  private void awaitEverySucceededWithTwoAttempts(List<String> ids) {
    await("every replayed job succeeded")
        .atMost(TIMEOUT)
        .until(
            () ->
                NodeClient.tree(client.get(leader() + "/jobs?status=SUCCEEDED&limit=1000").body())
                        .get("jobs")
                        .size()
                    == ids.size());
    for (String id : ids) {
      Job job = client.job(leader(), id);
      assertThat(job.attempts()).as(id).extracting(Attempt::number).containsExactly(1, 2);
      assertThat(job.attempts()).as(id).extracting(Attempt::statusCode).containsExactly(400, 200);
    }
  }

  @Test
  void everyFailedJobIsReplayedOnceAndTheSameKeyIsTheSameOperation() {
    shard = TestShard.start(dir, b -> b.workers(16));
    List<String> ids = failedJobs("bulk", 300, 300);

    HttpResponse<String> started =
        client.post(leader() + "/jobs:replay", "{}", "Idempotency-Key", "sweep-1");
    HttpResponse<String> again =
        client.post(
            leader() + "/jobs:replay", "{\"status\":\"FAILED\"}", "Idempotency-Key", "sweep-1");
    HttpResponse<String> other =
        client.post(
            leader() + "/jobs:replay", "{\"status\":\"CANCELLED\"}", "Idempotency-Key", "sweep-1");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    JsonNode op = NodeClient.tree(started.body());
    String id = op.get("id").asText();
    assertThat(id).startsWith("op_");
    assertThat(started.headers().firstValue("Location")).hasValue("/operations/" + id);
    assertThat(op.get("type").asText()).isEqualTo("replay");
    assertThat(op.get("filter").get("status").asText()).isEqualTo("FAILED");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(NodeClient.tree(again.body()).get("id").asText()).isEqualTo(id);
    assertThat(other.statusCode()).as(other.body()).isEqualTo(422);
    await("the operation finished")
        .atMost(TIMEOUT)
        .until(() -> operation(id).get("status").asText().equals("SUCCEEDED"));
    JsonNode done = operation(id);
    assertThat(done.get("replayed").asLong()).isEqualTo(300);
    assertThat(done.get("skipped").asLong()).isZero();
    assertThat(done.get("finishedAt").asText()).isNotBlank();
    awaitEverySucceededWithTwoAttempts(ids);
    for (String job : ids) {
      assertThat(receiver.deliveries(job)).as(job).hasSize(2);
    }

    HttpResponse<String> thirdTime =
        client.post(leader() + "/jobs:replay", "{}", "Idempotency-Key", "sweep-1");
    assertThat(NodeClient.tree(thirdTime.body()).get("replayed").asLong()).isEqualTo(300);
    assertThat(receiver.total()).isEqualTo(600);
  }

  @Test
  void badFiltersAndUnknownOperationsAreRefused() {
    shard = TestShard.start(dir, b -> b);

    assertThat(client.post(leader() + "/jobs:replay", "{\"status\":\"SUCCEEDED\"}").statusCode())
        .isEqualTo(400);
    assertThat(client.post(leader() + "/jobs:replay", "{\"queue\":\"q\"}").statusCode())
        .isEqualTo(400);
    assertThat(client.get(leader() + "/operations/op_" + "0".repeat(32)).statusCode())
        .isEqualTo(404);
    assertThat(client.get(leader() + "/operations/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> empty = client.post(leader() + "/jobs:replay", "{}");
    assertThat(empty.statusCode()).as(empty.body()).isEqualTo(202);
    String id = NodeClient.tree(empty.body()).get("id").asText();
    await("an operation with nothing to take finishes")
        .atMost(TIMEOUT)
        .until(() -> operation(id).get("status").asText().equals("SUCCEEDED"));
    assertThat(operation(id).get("replayed").asLong()).isZero();
  }

  @Test
  void aFullQueueRefusesASingleReplayAndMakesAnOperationWaitNotFail() {
    shard = TestShard.start(dir, b -> b.workers(4).maxPending(20));
    List<String> ids = failedJobs("full", 30, 20);
    List<String> parked = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r =
          client.post(
              leader() + "/jobs",
              "{\"url\":\"" + receiver.url("/parked") + "\",\"delayMs\":3600000}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      parked.add(NodeClient.tree(r.body()).get("id").asText());
    }

    HttpResponse<String> single = client.post(leader() + "/jobs/" + ids.get(0) + ":replay", "");
    HttpResponse<String> started = client.post(leader() + "/jobs:replay", "{}");

    assertThat(single.statusCode()).as(single.body()).isEqualTo(429);
    assertThat(NodeClient.tree(single.body()).get("type").asText()).endsWith("/queue-full");
    String id = NodeClient.tree(started.body()).get("id").asText();
    await()
        .pollDelay(Duration.ofMillis(600))
        .atMost(TIMEOUT)
        .until(() -> operation(id).get("status").asText().equals("RUNNING"));
    assertThat(operation(id).get("replayed").asLong()).isZero();
    for (String p : parked) {
      assertThat(client.send("DELETE", leader() + "/jobs/" + p).statusCode()).isEqualTo(200);
    }
    await("the operation went on once the queue had room")
        .atMost(TIMEOUT)
        .until(() -> operation(id).get("status").asText().equals("SUCCEEDED"));
    assertThat(operation(id).get("replayed").asLong()).isEqualTo(30);
    awaitEverySucceededWithTwoAttempts(ids);
  }

  @Test
  void aNewLeaderFinishesAnOperationTheOldOneStartedAndNoJobIsReplayedTwice() throws Exception {
    // A queue of 60 makes the operation take many small pages while slow deliveries drain it.
    shard = TestShard.start(dir, b -> b.workers(4).maxPending(60));
    List<String> ids = failedJobs("moved", 240, 60);
    receiver.latency(40);

    HttpResponse<String> started = client.post(leader() + "/jobs:replay", "{}");
    String id = NodeClient.tree(started.body()).get("id").asText();
    await("the operation is under way")
        .atMost(TIMEOUT)
        .until(() -> operation(id).get("replayed").asLong() >= 60);
    JsonNode midway = operation(id);
    assertThat(midway.get("status").asText()).isEqualTo("RUNNING");
    int old = shard.awaitLeader();
    shard.stop(old);
    assertThat(shard.awaitLeader()).isNotEqualTo(old);

    await("the new leader finished the operation")
        .atMost(TIMEOUT)
        .until(() -> operation(id).get("status").asText().equals("SUCCEEDED"));
    assertThat(operation(id).get("replayed").asLong()).isEqualTo(240);
    assertThat(operation(id).get("skipped").asLong()).isZero();
    awaitEverySucceededWithTwoAttempts(ids);
  }
}
