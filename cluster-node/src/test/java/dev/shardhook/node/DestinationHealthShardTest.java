package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Destination;
import dev.shardhook.api.DestinationList;
import dev.shardhook.api.EnabledDestination;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destination health on a real shard (README, "Destinations"): an open breaker defers jobs without
 * spending attempts; a destination failing too long is disabled through Raft, its jobs wait across
 * a leader change, and enabling it delivers them.
 */
class DestinationHealthShardTest {
  private static final String FAST_RETRIES =
      "\"retry\":{\"maxAttempts\":100,\"initialBackoffMs\":50,\"maxBackoffMs\":50}";

  @TempDir Path dir;

  @Test
  void anOpenBreakerDefersJobsWithoutSpendingTheirAttempts() throws Exception {
    Receiver receiver = new Receiver();
    try (NodeClient client = new NodeClient();
        MockWebServer server = started(receiver);
        TestShard shard =
            TestShard.start(
                dir,
                b ->
                    breaker(b, Duration.ofSeconds(6), 5, 10)
                        .destinationDisableAfter(Duration.ofHours(1)))) {
      String url = server.url("/hook").toString();
      String host = server.url("/").host() + ":" + server.getPort();
      int leader = shard.awaitLeader();
      submit(client, shard.url(leader), "warm", url);

      await("the breaker opens")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> state(client, shard, host).map(Destination::state),
              s -> s.equals(Optional.of(Destination.OPEN)));

      for (int i = 0; i < 5; i++) {
        submit(client, shard.url(shard.awaitLeader()), "deferred-" + i, url);
      }
      // Well inside the open duration: nothing reaches the receiver, no attempt is spent.
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  receiver.deliveriesOf("deferred-") == 0
                      && attempts(client, shard, "deferred-0") == 0
                      && attempts(client, shard, "deferred-4") == 0);
      Destination open = state(client, shard, host).orElseThrow();
      assertThat(open.state()).isEqualTo(Destination.OPEN);
      assertThat(open.failingSince()).isNotNull();

      receiver.failing.set(false);
      await("the deferred jobs are delivered once the receiver recovers")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                for (int i = 0; i < 5; i++) {
                  if (client.job(shard.url(shard.awaitLeader()), "deferred-" + i).status()
                      != JobStatus.SUCCEEDED) {
                    return false;
                  }
                }
                return true;
              });
      for (int i = 0; i < 5; i++) {
        Job job = client.job(shard.url(shard.awaitLeader()), "deferred-" + i);
        assertThat(job.attempts()).as(job.id()).hasSize(1);
      }
    }
  }

  @Test
  void aDestinationFailingTooLongIsDisabledItsJobsWaitAcrossALeaderChangeAndEnablingDelivers()
      throws Exception {
    Receiver receiver = new Receiver();
    try (NodeClient client = new NodeClient();
        MockWebServer server = started(receiver);
        TestShard shard =
            TestShard.start(
                dir,
                b ->
                    breaker(b, Duration.ofMillis(300), 5, 10)
                        .destinationDisableAfter(Duration.ofSeconds(2)))) {
      String url = server.url("/hook").toString();
      String host = server.url("/").host() + ":" + server.getPort();
      submit(client, shard.url(shard.awaitLeader()), "failing", url);

      await("the destination is disabled")
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> state(client, shard, host).map(Destination::state),
              s -> s.equals(Optional.of(Destination.DISABLED)));
      Destination disabled = state(client, shard, host).orElseThrow();
      assertThat(disabled.disabledAt()).isNotNull();
      assertThat(disabled.disabledReason()).startsWith("failing since");

      receiver.failing.set(false);
      submit(client, shard.url(shard.awaitLeader()), "waiting", url);
      int before = receiver.total.get();
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(3))
          .until(() -> receiver.total.get() == before);
      assertThat(attempts(client, shard, "waiting")).isZero();

      int leader = shard.awaitLeader();
      shard.transferLeadership(shard.follower(leader));
      await("the new leader knows the destination is disabled")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> state(client, shard, host).map(Destination::state),
              s -> s.equals(Optional.of(Destination.DISABLED)));
      await()
          .during(Duration.ofMillis(1000))
          .atMost(Duration.ofSeconds(3))
          .until(() -> receiver.total.get() == before);

      HttpResponse<String> enabled =
          client.send("POST", shard.url(shard.awaitLeader()) + "/destinations/" + host + ":enable");
      assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
      assertThat(NodeClient.parse(enabled.body(), EnabledDestination.class).wasDisabled()).isTrue();

      await("enabled: the waiting job is delivered")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  client.job(shard.url(shard.awaitLeader()), "waiting").status()
                      == JobStatus.SUCCEEDED);
      assertThat(client.job(shard.url(shard.awaitLeader()), "waiting").attempts()).hasSize(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> state(client, shard, host).map(Destination::state),
              s -> s.isPresent() && !s.get().equals(Destination.DISABLED));

      HttpResponse<String> garbage =
          client.send("POST", shard.url(shard.awaitLeader()) + "/destinations/no-port:enable");
      assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
    }
  }

  private static NodeConfig.Builder breaker(
      NodeConfig.Builder b, Duration open, int minCalls, int window) {
    var settings = NodeSettings.DESTINATION_BREAKER.all();
    return b.set(NodeSettings.DESTINATION_BREAKER.openDuration(), open)
        .set(integer(settings.get(1)), window)
        .set(integer(settings.get(2)), minCalls);
  }

  @SuppressWarnings("unchecked")
  private static dev.shardhook.support.config.Setting<Integer> integer(
      dev.shardhook.support.config.Setting<?> s) {
    return (dev.shardhook.support.config.Setting<Integer>) s;
  }

  private static MockWebServer started(Dispatcher receiver) throws Exception {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(receiver);
    server.start();
    return server;
  }

  private static void submit(NodeClient client, String base, String id, String url) {
    HttpResponse<String> r =
        client.post(
            base + "/jobs", "{\"id\":\"" + id + "\",\"url\":\"" + url + "\"," + FAST_RETRIES + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private static int attempts(NodeClient client, TestShard shard, String id) {
    return client.job(shard.url(shard.awaitLeader()), id).attempts().size();
  }

  /** The host as the leader lists it (a follower answers 503: ask the leader). */
  private static Optional<Destination> state(NodeClient client, TestShard shard, String host) {
    HttpResponse<String> r = client.get(shard.url(shard.awaitLeader()) + "/destinations");
    if (r.statusCode() != 200) {
      return Optional.empty();
    }
    return NodeClient.parse(r.body(), DestinationList.class).destinations().stream()
        .filter(d -> d.host().equals(host))
        .findFirst();
  }

  /** Answers 500 while failing, else 200; counts requests per job. */
  static final class Receiver extends Dispatcher {
    final AtomicBoolean failing = new AtomicBoolean(true);
    final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> byId = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      total.incrementAndGet();
      String id = request.getHeaders().get("webhook-id");
      byId.computeIfAbsent(String.valueOf(id), k -> new AtomicInteger()).incrementAndGet();
      return new MockResponse.Builder().code(failing.get() ? 500 : 200).build();
    }

    int deliveriesOf(String prefix) {
      return byId.entrySet().stream()
          .filter(e -> e.getKey().startsWith(prefix))
          .mapToInt(e -> e.getValue().get())
          .sum();
    }
  }
}
