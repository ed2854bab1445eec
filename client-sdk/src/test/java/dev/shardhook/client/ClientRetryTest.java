package dev.shardhook.client;

import static dev.shardhook.client.Responses.jobResponse;
import static dev.shardhook.client.Responses.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.testing.FreePorts;
import dev.shardhook.node.testing.TestClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retries, waits and failover, with a recording sleeper on a test clock: no real time passes
 * between attempts, and every wait the client chose is asserted exactly.
 */
class ClientRetryTest {
  @StartStop public final MockWebServer server = new MockWebServer();
  @StartStop public final MockWebServer second = new MockWebServer();

  private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final List<ShardhookClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(ShardhookClient::close);
  }

  private ShardhookClient client(ClientRetryConfig retry, URI... endpoints) {
    ShardhookClient c =
        ShardhookClient.builder()
            .endpoints(List.of(endpoints))
            .retry(retry)
            .clock(clock)
            .sleeper(sleeper)
            .build();
    clients.add(c);
    return c;
  }

  private ShardhookClient client(URI... endpoints) {
    return client(ClientRetryConfig.custom().jitter(0).build(), endpoints);
  }

  private static JobRequest hook() {
    return JobRequest.builder(URI.create("https://example.com/hook")).build();
  }

  private static List<String> keys(MockWebServer s, int n) throws InterruptedException {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RecordedRequest r = s.takeRequest(10, TimeUnit.SECONDS);
      assertThat(r).as("request %d", i + 1).isNotNull();
      keys.add(r.getHeaders().get("Idempotency-Key"));
    }
    return keys;
  }

  private static URI closedPort() {
    return URI.create("http://127.0.0.1:" + FreePorts.take(1)[0] + "/");
  }

  @Test
  void retriesOf503And429CarryTheSameIdempotencyKeyAndBackOffExponentially() throws Exception {
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "no leader"));
    server.enqueue(problem(429, "queue-full", "Queue full", "full"));
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "no leader"));
    server.enqueue(jobResponse(201, "j-1", JobStatus.PENDING));

    Job job = client(server.url("/").uri()).submit(hook());

    assertThat(job.id()).isEqualTo("j-1");
    List<String> keys = keys(server, 4);
    assertThat(keys).doesNotContainNull().containsOnly(keys.get(0));
    assertThat(sleeper.waits())
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void retryAfterInSecondsIsAFloorForTheWait() throws Exception {
    server.enqueue(problem(429, "queue-full", "Queue full", "full", "3"));
    server.enqueue(jobResponse(201, "j-1", JobStatus.PENDING));

    client(server.url("/").uri()).submit(hook());

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(3));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void retryAfterAsAnHttpDateIsMeasuredFromTheClock() {
    String inSevenSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            clock.instant().plusSeconds(7).atOffset(ZoneOffset.UTC));
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "x", inSevenSeconds));
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));

    client(server.url("/").uri()).get("j-1");

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void aRetryAfterBeyondTheDeadlineFailsAtOnceWithIt() {
    server.enqueue(problem(429, "queue-full", "Queue full", "full", "120"));
    ShardhookClient c =
        client(
            ClientRetryConfig.custom().totalDeadline(Duration.ofSeconds(30)).build(),
            server.url("/").uri());

    assertThatThrownBy(() -> c.submit(hook()))
        .isInstanceOfSatisfying(
            ShardhookException.QueueFull.class,
            e -> assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(120)));
    assertThat(sleeper.waits()).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void theTotalDeadlineBoundsAllWaits() {
    for (int i = 0; i < 10; i++) {
      server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "x", "4"));
    }
    ShardhookClient c =
        client(
            ClientRetryConfig.custom()
                .maxAttempts(10)
                .totalDeadline(Duration.ofSeconds(10))
                .build(),
            server.url("/").uri());

    assertThatThrownBy(() -> c.get("j-1")).isInstanceOf(ShardhookException.Unavailable.class);
    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void givesUpAfterMaxAttempts() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "x"));
    }
    ShardhookClient c =
        client(ClientRetryConfig.custom().maxAttempts(3).jitter(0).build(), server.url("/").uri());

    assertThatThrownBy(() -> c.submit(hook())).isInstanceOf(ShardhookException.Unavailable.class);
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(sleeper.waits()).hasSize(2);
  }

  @Test
  void jitterOnlyShortensTheWait() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "x"));
    }
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));
    ShardhookClient c =
        client(ClientRetryConfig.custom().jitter(0.5).build(), server.url("/").uri());

    c.get("j-1");

    List<Duration> waits = sleeper.waits();
    assertThat(waits).hasSize(4);
    for (int i = 0; i < 4; i++) {
      long full = 100L << i;
      assertThat(waits.get(i).toMillis()).isBetween(full / 2, full);
    }
  }

  @Test
  void anUnreachableEndpointFailsOverToTheNextAndStaysThere() throws Exception {
    URI dead = closedPort();
    ShardhookClient c = client(dead, server.url("/").uri());
    server.enqueue(jobResponse(201, "j-1", JobStatus.PENDING));
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));

    assertThat(c.submit(hook()).id()).isEqualTo("j-1");
    assertThat(c.get("j-1")).isPresent();

    assertThat(sleeper.waits()).as("one wait, for the one failed attempt").hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aSubmissionWhoseCommitWasNotConfirmedIsResentAsAReplay() throws Exception {
    server.enqueue(problem(504, "commit-unknown", "Commit not confirmed", "may still be created"));
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));

    Job job = client(server.url("/").uri()).submit(hook());

    assertThat(job.id()).isEqualTo("j-1");
    List<String> keys = keys(server, 2);
    assertThat(keys).doesNotContainNull().containsOnly(keys.get(0));
  }

  @Test
  void a503FailsOverWithTheSameIdempotencyKey() throws Exception {
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "no leader"));
    second.enqueue(jobResponse(201, "j-1", JobStatus.PENDING));

    client(server.url("/").uri(), second.url("/").uri()).submit(hook());

    assertThat(keys(server, 1)).isEqualTo(keys(second, 1));
  }

  @Test
  void failoverWrapsAroundTheEndpoints() throws Exception {
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "x"));
    second.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "x"));
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));

    assertThat(client(server.url("/").uri(), second.url("/").uri()).get("j-1")).isPresent();

    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(second.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aCancelThatMayHaveArrivedIsNotRepeated() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(jobResponse(200, "j-1", JobStatus.CANCELLED));
    ShardhookClient c =
        ShardhookClient.builder()
            .endpoint(server.url("/").uri())
            .okHttpClient(
                new okhttp3.OkHttpClient.Builder().retryOnConnectionFailure(false).build())
            .clock(clock)
            .sleeper(sleeper)
            .build();
    clients.add(c);

    assertThatThrownBy(() -> c.cancel("j-1")).isInstanceOf(ShardhookException.Unavailable.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aCancelThatNeverConnectedOrWasRefusedIsRepeated() throws Exception {
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "x"));
    server.enqueue(jobResponse(200, "j-1", JobStatus.CANCELLED));

    ShardhookClient c = client(closedPort(), server.url("/").uri());

    assertThat(c.cancel("j-1").status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void otherClientErrorsAreNotRetried() {
    server.enqueue(problem(400, "invalid-job", "Invalid job request", "url: required"));

    assertThatThrownBy(() -> client(server.url("/").uri()).submit(hook()))
        .isInstanceOf(ShardhookException.InvalidJob.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void cancellingAnAsyncCallInterruptsItsWait() {
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "x", "60"));
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    ShardhookClient c =
        ShardhookClient.builder()
            .endpoint(server.url("/").uri())
            .retry(ClientRetryConfig.custom().totalDeadline(Duration.ofMinutes(5)).build())
            .sleeper(
                d -> {
                  waiting.countDown();
                  try {
                    Thread.sleep(d);
                  } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                  }
                })
            .build();
    clients.add(c);

    CompletableFuture<Job> f = c.submitAsync(hook());
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.getCount() == 0);
    f.cancel(true);

    await().atMost(Duration.ofSeconds(10)).untilTrue(interrupted);
    assertThat(f).isCancelled();
  }
}
