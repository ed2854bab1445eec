package dev.shardhook.client;

import static dev.shardhook.client.Responses.jobResponse;
import static dev.shardhook.client.Responses.json;
import static dev.shardhook.client.Responses.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.Attempt;
import dev.shardhook.api.AttemptResponse;
import dev.shardhook.api.BatchItemResult;
import dev.shardhook.api.Job;
import dev.shardhook.api.JobRequest;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.Problem;
import dev.shardhook.api.WireJson;
import dev.shardhook.node.testing.TestClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client against a scripted server: request shape, answers, errors, polling, lifecycle. */
class ShardhookClientTest {
  @StartStop public final MockWebServer server = new MockWebServer();

  private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private ShardhookClient client;

  @BeforeEach
  void setUp() {
    client = clientFor(server.url("/").uri()).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private ShardhookClient.Builder clientFor(URI... endpoints) {
    return ShardhookClient.builder()
        .endpoints(List.of(endpoints))
        .retry(ClientRetryConfig.custom().jitter(0).build())
        .clock(clock)
        .sleeper(sleeper);
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(r).as("a request reached the server").isNotNull();
    return r;
  }

  private static JsonNode body(RecordedRequest r) throws Exception {
    return WireJson.mapper().readTree(r.getBody().utf8());
  }

  private static JobRequest hook() {
    return JobRequest.builder(URI.create("https://example.com/hook")).build();
  }

  @Test
  void submitPostsTheJobAsJsonWithAnIdempotencyKey() throws Exception {
    server.enqueue(jobResponse(201, "j-1", JobStatus.PENDING));
    JobRequest request =
        JobRequest.builder(URI.create("https://example.com/hook"))
            .method("put")
            .header("X-Tenant", "acme")
            .body("{\"order\":42}")
            .id("j-1")
            .delay(Duration.ofSeconds(5))
            .timeout(Duration.ofSeconds(3))
            .retry(3, Duration.ofSeconds(1), Duration.ofSeconds(30))
            .build();

    Job job = client.submit(request);

    assertThat(job.id()).isEqualTo("j-1");
    assertThat(job.status()).isEqualTo(JobStatus.PENDING);
    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/jobs");
    assertThat(r.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(r.getHeaders().get("User-Agent")).startsWith("shardhook-java-sdk");
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(r.getHeaders().get("Idempotency-Key"))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(body(r))
        .isEqualTo(
            WireJson.mapper()
                .readTree(
                    """
                    {"url":"https://example.com/hook","method":"PUT","headers":{"X-Tenant":"acme"},
                     "body":"{\\"order\\":42}","id":"j-1","delayMs":5000,"timeoutMs":3000,
                     "retry":{"maxAttempts":3,"initialBackoffMs":1000,"maxBackoffMs":30000}}
                    """));
  }

  @Test
  void submitSendsTheCallersKeyAndApiKey() throws Exception {
    client.close();
    client = clientFor(server.url("/").uri()).apiKey("s3cret").build();
    server.enqueue(jobResponse(201, "j-1", JobStatus.PENDING));

    client.submit(
        JobRequest.builder(URI.create("https://example.com/hook"))
            .idempotencyKey("order-42")
            .build());

    RecordedRequest r = take();
    assertThat(r.getHeaders().get("Idempotency-Key")).isEqualTo("order-42");
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(body(r).get("idempotencyKey").asText()).isEqualTo("order-42");
  }

  @Test
  void eachSubmitGetsItsOwnGeneratedKey() throws Exception {
    server.enqueue(jobResponse(201, "a", JobStatus.PENDING));
    server.enqueue(jobResponse(201, "b", JobStatus.PENDING));

    client.submit(hook());
    client.submit(hook());

    assertThat(take().getHeaders().get("Idempotency-Key"))
        .isNotEqualTo(take().getHeaders().get("Idempotency-Key"));
  }

  @Test
  void endpointWithABasePathPrefixesEveryPath() throws Exception {
    client.close();
    client = clientFor(server.url("/shardhook").uri()).build();
    server.enqueue(jobResponse(200, "j:1", JobStatus.RUNNING));

    client.get("j:1");

    assertThat(take().getUrl().encodedPath()).isEqualTo("/shardhook/jobs/j:1");
  }

  @Test
  void getReadsTheJobAndEmptyOn404() throws Exception {
    server.enqueue(jobResponse(200, "j-1", JobStatus.SUCCEEDED));
    server.enqueue(problem(404, "job-not-found", "Job not found", "no job with id 'nope'"));

    assertThat(client.get("j-1")).get().extracting(Job::status).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(client.get("nope")).isEmpty();

    RecordedRequest first = take();
    assertThat(first.getMethod()).isEqualTo("GET");
    assertThat(first.getUrl().encodedPath()).isEqualTo("/jobs/j-1");
    assertThat(take().getUrl().encodedPath()).isEqualTo("/jobs/nope");
  }

  @Test
  void cancelDeletesTheJob() throws Exception {
    server.enqueue(jobResponse(200, "j-1", JobStatus.CANCELLED));

    assertThat(client.cancel("j-1").status()).isEqualTo(JobStatus.CANCELLED);

    RecordedRequest r = take();
    assertThat(r.getMethod()).isEqualTo("DELETE");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/jobs/j-1");
  }

  @Test
  void malformedIdsFailBeforeAnyRequest() {
    assertThatThrownBy(() -> client.get("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id: must match");
    assertThatThrownBy(() -> client.cancel(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id: must match");
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @CsvSource({
    "400, invalid-job, Invalid job request, InvalidJob",
    "413, payload-too-large, Payload too large, InvalidJob",
    "404, job-not-found, Job not found, NotFound",
    "409, job-finished, Job already finished, Conflict",
    "422, idempotency-mismatch, Idempotency key reused with a different request,"
        + " IdempotencyMismatch",
    "500, internal-error, Internal error, ShardhookException",
  })
  void errorStatusesMapToTypedExceptionsWithTheProblem(
      int status, String type, String title, String kind) {
    server.enqueue(problem(status, type, title, "what went wrong"));

    assertThatThrownBy(() -> client.cancel("j-1"))
        .isInstanceOfSatisfying(
            ShardhookException.class,
            e -> {
              assertThat(e.getClass().getSimpleName()).isEqualTo(kind);
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.problem())
                  .hasValue(
                      new Problem(
                          "https://shardhook.dev/problems/" + type,
                          title,
                          status,
                          "what went wrong",
                          "/jobs"));
              assertThat(e).hasMessageContaining("DELETE /jobs/j-1").hasMessageContaining(title);
            });
    assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
  }

  @Test
  void queueFullAndUnavailableCarryRetryAfterOnceRetriesAreSpent() {
    client.close();
    client = clientFor(server.url("/").uri()).retry(ClientRetryConfig.disabled()).build();
    server.enqueue(problem(429, "queue-full", "Queue full", "the shard holds 10", "7"));
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "no leader", "1"));

    assertThatThrownBy(() -> client.submit(hook()))
        .isInstanceOfSatisfying(
            ShardhookException.QueueFull.class,
            e -> {
              assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
              assertThat(e.problem().orElseThrow().detail()).isEqualTo("the shard holds 10");
            });
    assertThatThrownBy(() -> client.submit(hook()))
        .isInstanceOfSatisfying(
            ShardhookException.Unavailable.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(1));
            });
  }

  @Test
  void anAnswerThatIsNotAProblemGetsAnAboutBlankProblem() {
    server.enqueue(new MockResponse.Builder().code(502).body("<html>Bad gateway</html>").build());

    assertThatThrownBy(() -> client.get("j-1"))
        .isInstanceOfSatisfying(
            ShardhookException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.problem().orElseThrow().type()).isEqualTo("about:blank");
              assertThat(e.problem().orElseThrow().detail()).isEqualTo("<html>Bad gateway</html>");
            });
  }

  @Test
  void answersWithFieldsThisClientDoesNotKnowAreStillRead() {
    String withExtra =
        Responses.write(Responses.job("j-1", JobStatus.PENDING))
            .replaceFirst("\\{", "{\"addedLater\":true,");
    server.enqueue(new MockResponse.Builder().code(200).body(withExtra).build());

    assertThat(client.get("j-1")).get().extracting(Job::id).isEqualTo("j-1");
  }

  @Test
  void attemptsCarryWhatTheReceiverAnsweredAndOlderAnswersReadWithout() {
    String attemptsJson =
        "\"attempts\":["
            + "{\"number\":1,\"durationMs\":17,\"statusCode\":500,\"error\":\"HTTP 500\","
            + "\"response\":{\"headers\":{\"content-type\":\"application/json\"},"
            + "\"body\":\"{\\\"error\\\":1}\",\"bodyTruncated\":true}},"
            + "{\"number\":2,\"durationMs\":5,\"statusCode\":204}]";
    String json =
        Responses.write(Responses.job("j-1", JobStatus.SUCCEEDED))
            .replace("\"attempts\":[]", attemptsJson);
    assertThat(json).contains("bodyTruncated");
    server.enqueue(new MockResponse.Builder().code(200).body(json).build());

    List<Attempt> attempts = client.get("j-1").orElseThrow().attempts();

    assertThat(attempts.get(0).response())
        .isEqualTo(
            new AttemptResponse(Map.of("content-type", "application/json"), "{\"error\":1}", true));
    assertThat(attempts.get(1).response()).isNull();
    assertThat(Responses.write(new Attempt(2, null, 5, 204, null))).doesNotContain("response");
  }

  @Test
  void submitAllSendsOneBatchWithAKeyPerItemAndMapsEachResult() throws Exception {
    List<BatchItemResult> answer =
        List.of(
            new BatchItemResult(201, Responses.job("a", JobStatus.PENDING), null),
            new BatchItemResult(200, Responses.job("b", JobStatus.PENDING), null),
            new BatchItemResult(
                422, null, new Problem("t", "Idempotency key reused", 422, "differs", "/jobs")));
    server.enqueue(json(207, answer));
    List<JobRequest> requests =
        List.of(
            hook(),
            JobRequest.builder(URI.create("https://example.com/b")).idempotencyKey("kb").build(),
            JobRequest.builder(URI.create("https://example.com/c")).id("c").build());

    List<SubmitResult> results = client.submitAll(requests);

    RecordedRequest r = take();
    assertThat(r.getUrl().encodedPath()).isEqualTo("/jobs:batch");
    assertThat(r.getHeaders().get("Idempotency-Key")).isNull();
    JsonNode items = body(r);
    assertThat(items).hasSize(3);
    assertThat(items.get(0).get("idempotencyKey").asText())
        .isEqualTo(results.get(0).idempotencyKey());
    assertThat(items.get(1).get("idempotencyKey").asText()).isEqualTo("kb");
    assertThat(items.get(2).get("id").asText()).isEqualTo("c");

    assertThat(results.get(0).isAccepted()).isTrue();
    assertThat(results.get(0).isReplayed()).isFalse();
    assertThat(results.get(1).isReplayed()).isTrue();
    assertThat(results.get(1).jobOrThrow().id()).isEqualTo("b");
    assertThat(results.get(2).isAccepted()).isFalse();
    assertThat(results.get(2).status()).isEqualTo(422);
    assertThat(results.get(2).error())
        .get()
        .isInstanceOf(ShardhookException.IdempotencyMismatch.class);
    assertThatThrownBy(() -> results.get(2).jobOrThrow())
        .isInstanceOf(ShardhookException.IdempotencyMismatch.class);
  }

  @Test
  void submitAllSplitsIntoBatchesOfAtMostOneThousand() throws Exception {
    List<JobRequest> requests = IntStream.range(0, 1500).mapToObj(i -> hook()).toList();
    server.enqueue(json(207, accepted(0, 1000)));
    server.enqueue(json(207, accepted(1000, 1500)));

    List<SubmitResult> results = client.submitAll(requests);

    assertThat(body(take())).hasSize(1000);
    assertThat(body(take())).hasSize(500);
    assertThat(results).hasSize(1500).allMatch(SubmitResult::isAccepted);
    assertThat(results.get(0).jobOrThrow().id()).isEqualTo("j0");
    assertThat(results.get(1499).jobOrThrow().id()).isEqualTo("j1499");
  }

  @Test
  void aBatchThatFailsAsAWholeFailsEachOfItsItems() {
    client.close();
    client = clientFor(server.url("/").uri()).retry(ClientRetryConfig.disabled()).build();
    server.enqueue(problem(503, "shard-unavailable", "Shard unavailable", "no leader", "1"));

    List<SubmitResult> results = client.submitAll(List.of(hook(), hook()));

    assertThat(results)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.isAccepted()).isFalse();
              assertThat(r.status()).isEqualTo(503);
              assertThat(r.error()).get().isInstanceOf(ShardhookException.Unavailable.class);
            });
    assertThat(client.submitAll(List.of())).isEmpty();
  }

  private static List<BatchItemResult> accepted(int from, int to) {
    List<BatchItemResult> items = new ArrayList<>();
    for (int i = from; i < to; i++) {
      items.add(new BatchItemResult(201, Responses.job("j" + i, JobStatus.PENDING), null));
    }
    return items;
  }

  @Test
  void awaitCompletionPollsWithGrowingPausesUntilFinal() throws Exception {
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));
    server.enqueue(jobResponse(200, "j-1", JobStatus.RUNNING));
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));
    server.enqueue(jobResponse(200, "j-1", JobStatus.SUCCEEDED));

    Job job = client.awaitCompletion("j-1", Duration.ofMinutes(1));

    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(sleeper.waits())
        .containsExactly(Duration.ofMillis(50), Duration.ofMillis(75), Duration.ofMillis(112));
  }

  @Test
  void awaitCompletionGivesUpAtTheTimeoutWithTheLastJobSeen() {
    server.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return jobResponse(200, "j-1", JobStatus.PENDING);
          }
        });

    assertThatThrownBy(() -> client.awaitCompletion("j-1", Duration.ofSeconds(3)))
        .isInstanceOfSatisfying(
            ShardhookException.CompletionTimeout.class,
            e -> assertThat(e.lastSeen().status()).isEqualTo(JobStatus.PENDING));
    Duration waited = sleeper.waits().stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(waited).isEqualTo(Duration.ofSeconds(3));
    assertThat(sleeper.waits()).allMatch(d -> d.compareTo(Duration.ofSeconds(2)) <= 0);
  }

  @Test
  void awaitCompletionOfAnUnknownJobIsNotFound() {
    server.enqueue(problem(404, "job-not-found", "Job not found", "no job"));

    assertThatThrownBy(() -> client.awaitCompletion("nope", Duration.ofSeconds(5)))
        .isInstanceOf(ShardhookException.NotFound.class);
  }

  @Test
  void asyncVariantsCompleteWithTheResultOrTheTypedError() {
    server.enqueue(jobResponse(201, "j-1", JobStatus.PENDING));
    server.enqueue(problem(409, "job-finished", "Job already finished", "already SUCCEEDED"));
    server.enqueue(jobResponse(200, "j-1", JobStatus.SUCCEEDED));

    assertThat(client.submitAsync(hook()))
        .succeedsWithin(Duration.ofSeconds(10))
        .extracting(Job::id)
        .isEqualTo("j-1");
    assertThat(client.cancelAsync("j-1"))
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(ShardhookException.Conflict.class);
    assertThat(client.awaitCompletionAsync("j-1", Duration.ofSeconds(5)))
        .succeedsWithin(Duration.ofSeconds(10))
        .extracting(Job::status)
        .isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void asyncCallsRunOnVirtualThreads() {
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));
    List<Boolean> virtual = new ArrayList<>();
    CompletableFuture<Boolean> f =
        client
            .getAsync("j-1")
            .thenApply(
                j -> {
                  virtual.add(Thread.currentThread().isVirtual());
                  return true;
                });

    assertThat(f).succeedsWithin(Duration.ofSeconds(10));
    assertThat(virtual).containsExactly(true);
  }

  @Test
  void closeLeavesASuppliedOkHttpClientUsable() {
    OkHttpClient mine = new OkHttpClient();
    ShardhookClient borrowing = clientFor(server.url("/").uri()).okHttpClient(mine).build();
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));
    assertThat(borrowing.get("j-1")).isPresent();

    borrowing.close();
    borrowing.close();

    assertThat(mine.dispatcher().executorService().isShutdown()).isFalse();
    assertThatThrownBy(() -> borrowing.get("j-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> borrowing.submitAsync(hook()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void newBuilderMakesAVariantAndLeavesTheOriginalAlone() throws Exception {
    ShardhookClient withKey = client.newBuilder().apiKey("k2").build();
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));
    server.enqueue(jobResponse(200, "j-1", JobStatus.PENDING));

    withKey.get("j-1");
    client.get("j-1");
    withKey.close();

    assertThat(take().getHeaders().get("Authorization")).isEqualTo("Bearer k2");
    assertThat(take().getHeaders().get("Authorization")).isNull();
    assertThat(withKey.endpoints()).isEqualTo(client.endpoints());
    assertThat(withKey.retryConfig()).isSameAs(client.retryConfig());
  }

  @Test
  void builderRejectsMisuseWithExactMessages() {
    assertThatThrownBy(() -> ShardhookClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no endpoint");
    assertThatThrownBy(() -> ShardhookClient.builder().endpoint(URI.create("ftp://h/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> ShardhookClient.builder().endpoint(URI.create("http://h/?q=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query");
    assertThatThrownBy(() -> ShardhookClient.builder().readTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readTimeout");
    assertThatThrownBy(() -> ShardhookClient.builder().apiKey("bad\nkey"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiKey");
    assertThat(ShardhookClient.builder().endpoint(URI.create("http://h:1")).build())
        .satisfies(
            c -> {
              assertThat(c.connectTimeout()).isEqualTo(ShardhookClient.DEFAULT_CONNECT_TIMEOUT);
              assertThat(c.retryConfig()).isSameAs(ClientRetryConfig.ofDefaults());
              assertThat(c.toString()).doesNotContain("apiKey");
              c.close();
            });
  }
}
