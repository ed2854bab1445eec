package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.delivery.RawHttpReceiver;
import dev.shardhook.node.delivery.RawHttpReceiver.Mode;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A real three-node shard delivering to receivers that misbehave at the connection level. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceiverBehaviourTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private final NodeClient client = new NodeClient();
  private final List<RawHttpReceiver> receivers = new ArrayList<>();
  private TestShard shard;

  @BeforeAll
  void start() {
    shard = TestShard.start(dir, b -> b.workers(16));
  }

  @AfterAll
  void stop() throws Exception {
    client.close();
    if (shard != null) {
      shard.close();
    }
    for (RawHttpReceiver r : receivers) {
      r.close();
    }
  }

  private RawHttpReceiver receiver(Mode mode, String... retryAfter) throws Exception {
    RawHttpReceiver r = new RawHttpReceiver(mode, 300, retryAfter);
    receivers.add(r);
    return r;
  }

  private String submit(String json) {
    HttpResponse<String> r = client.post(shard.url(shard.awaitLeader()) + "/jobs", json);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return NodeClient.parse(r.body(), Job.class).id();
  }

  private Job job(String id) {
    return client.job(shard.url(shard.awaitLeader()), id);
  }

  @Test
  void http10ReceiverGetsEveryJobOnItsFirstAttempt() throws Exception {
    RawHttpReceiver receiver = receiver(Mode.HTTP_1_0);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(submit("{\"url\":\"" + receiver.url("/hooks") + "\",\"body\":\"{}\"}"));
    }

    await("every job SUCCEEDED")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> ids.stream().allMatch(id -> job(id).status() == JobStatus.SUCCEEDED));
    long firstTime = ids.stream().filter(id -> job(id).attempts().size() == 1).count();
    assertThat(firstTime).as("jobs delivered on their first attempt").isGreaterThanOrEqualTo(98);
  }

  @Test
  void hostileRetryAfterIsCappedAndTheShardKeepsApplying() throws Exception {
    RawHttpReceiver hostile = receiver(Mode.RETRY_AFTER, "99999999999999999999", "-5", "soon");
    Instant before = Instant.now();
    String id =
        submit(
            "{\"url\":\""
                + hostile.url("/busy")
                + "\",\"retry\":{\"maxAttempts\":3,\"initialBackoffMs\":100,"
                + "\"maxBackoffMs\":60000}}");

    await("the first attempt recorded")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> job(id).attempts().size() == 1);
    Job j = job(id);
    assertThat(j.status()).isEqualTo(JobStatus.PENDING);
    assertThat(j.attempts().get(0).statusCode()).isEqualTo(503);
    // capped at 4 x maxBackoff (4 min), not 99999999999999999999 s
    assertThat(j.nextAttemptAt()).isBefore(before.plus(Duration.ofMinutes(5)));
    assertThat(j.nextAttemptAt()).isAfter(before.plus(Duration.ofMinutes(3)));

    RawHttpReceiver plain = receiver(Mode.KEEP_ALIVE);
    String next = submit("{\"url\":\"" + plain.url("/ok") + "\"}");
    await("a plain job still delivered")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> job(next).status() == JobStatus.SUCCEEDED);
  }
}
