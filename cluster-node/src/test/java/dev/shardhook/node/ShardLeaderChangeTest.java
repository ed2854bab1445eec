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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leadership moves while an attempt is slow: the new leader never overlaps its own attempts. */
class ShardLeaderChangeTest {
  private static final long LATENCY_MS = 1_500;

  @TempDir Path dir;

  @Test
  void anEarlierLeadersOutcomeDoesNotLetTheNewLeaderStartASecondAttemptAlongsideItsFirst()
      throws Exception {
    SlowFailingReceiver receiver = new SlowFailingReceiver();
    try (NodeClient client = new NodeClient();
        MockWebServer server = new MockWebServer();
        TestShard shard = TestShard.start(dir, b -> b)) {
      server.setDispatcher(receiver);
      server.start();
      int leader = shard.awaitLeader();
      String json =
          "{\"url\":\""
              + server.url("/slow")
              + "\",\"retry\":{\"maxAttempts\":3,\"initialBackoffMs\":10,\"maxBackoffMs\":10}}";
      HttpResponse<String> r = client.post(shard.url(leader) + "/jobs", json);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      String id = NodeClient.tree(r.body()).get("id").asText();
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.started(id) == 1);

      shard.transferLeadership(shard.follower(leader));

      await("the job fails after its attempts")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Job job = client.job(shard.url(shard.awaitLeader()), id);
                return job.status() == JobStatus.FAILED;
              });
      List<long[]> requests = receiver.intervals(id);
      // The deposed leader's first attempt may overlap the new leader's: at least once. Once it
      // has ended, requests for the job never overlap.
      long firstEnd = requests.getFirst()[1];
      assertThat(maxOverlapAfter(requests, firstEnd)).as(describe(requests)).isLessThanOrEqualTo(1);
    }
  }

  private static int maxOverlapAfter(List<long[]> intervals, long from) {
    int max = 0;
    for (long[] a : intervals) {
      long t = Math.max(a[0], from);
      if (t >= a[1]) {
        continue;
      }
      int active = 0;
      for (long[] b : intervals) {
        if (b[0] <= t && t < b[1]) {
          active++;
        }
      }
      max = Math.max(max, active);
    }
    return max;
  }

  private static String describe(List<long[]> intervals) {
    long t0 = intervals.getFirst()[0];
    List<String> out = new ArrayList<>();
    for (long[] i : intervals) {
      out.add("[" + (i[0] - t0) / 1_000_000 + "," + (i[1] - t0) / 1_000_000 + "] ms");
    }
    return out.toString();
  }

  /** Answers 500 after {@link #LATENCY_MS}; records each request's start and end per webhook-id. */
  private static final class SlowFailingReceiver extends Dispatcher {
    private final Map<String, List<long[]>> byId = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      long[] interval = {System.nanoTime(), Long.MAX_VALUE};
      String id = request.getHeaders().get("webhook-id");
      byId.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(interval);
      Thread.sleep(LATENCY_MS);
      interval[1] = System.nanoTime();
      return new MockResponse.Builder().code(500).build();
    }

    int started(String id) {
      return byId.getOrDefault(id, List.of()).size();
    }

    List<long[]> intervals(String id) {
      return List.copyOf(byId.getOrDefault(id, List.of()));
    }
  }
}
