package dev.shardhook.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.CommitUnknownException;
import dev.shardhook.api.problem.ShardUnavailableException;
import dev.shardhook.api.routing.JobIds;
import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.NodeState;
import dev.shardhook.node.NodeStatus;
import dev.shardhook.node.job.CancelResult;
import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.NewJob;
import dev.shardhook.node.job.OperationRecord;
import dev.shardhook.node.job.OperationResult;
import dev.shardhook.node.job.ReplayResult;
import dev.shardhook.node.job.SubmitResult;
import dev.shardhook.node.routing.ShardOwnership;
import dev.shardhook.support.auth.TenantsSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeHttpServerTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final String TARGET = "http://127.0.0.1:9/hook";
  private static final int MAX_REQUEST_BYTES = 4096;
  private static final int MAX_BODY_BYTES = 1024;
  private static final String PROBLEM_TYPES = "https://shardhook.dev/problems/";

  private final FakeJobs jobs = new FakeJobs();
  private final FakeState state = new FakeState();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private NodeHttpServer server;

  @BeforeEach
  void start() {
    NodeConfig config =
        NodeConfig.builder()
            .insecureNoAuth(true)
            .nodeId("a")
            .peers("a=127.0.0.1:9200")
            .maxRequestBytes(MAX_REQUEST_BYTES)
            .maxBodyBytes(MAX_BODY_BYTES)
            .maxPending(5)
            .allowPrivateTargets(true)
            .build();
    server =
        NodeHttpServer.start(
            "127.0.0.1",
            0,
            jobs,
            state,
            registry,
            config.submit(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            ShardOwnership.sole(config.shardId()),
            TenantsSource.open(null),
            tenant -> 0L,
            Optional.empty());
  }

  @AfterEach
  void stop() {
    // Client first: its idle keep-alive connections would hold up the graceful stop.
    client.close();
    server.close();
  }

  @Test
  void createAnswers201WithLocationAndTheJob() throws Exception {
    HttpResponse<String> r = post("/jobs", "{\"url\":\"" + TARGET + "\",\"body\":\"hi\"}");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode job = json(r);
    assertThat(job.get("status").asText()).isEqualTo("PENDING");
    assertThat(job.get("url").asText()).isEqualTo(TARGET);
    assertThat(job.get("method").asText()).isEqualTo("POST");
    assertThat(r.headers().firstValue("Location")).hasValue("/jobs/" + job.get("id").asText());
    assertThat(JobIds.isValid(job.get("id").asText())).isTrue();
    assertThat(jobs.submittedOnPlatformThread).isFalse();
  }

  @Test
  void sameKeyAndRequestIsReplayed() throws Exception {
    String request = "{\"url\":\"" + TARGET + "\",\"idempotencyKey\":\"k-1\"}";
    HttpResponse<String> first = post("/jobs", request);

    HttpResponse<String> second = post("/jobs", request);

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    String id = JobIds.fromIdempotencyKey("k-1");
    assertThat(second.headers().firstValue("Location")).hasValue("/jobs/" + id);
    assertThat(json(second).get("id").asText()).isEqualTo(id);
    assertThat(counter("shardhook.jobs.replayed", null)).isEqualTo(1.0);
  }

  @Test
  void keyHeaderDerivesTheId() throws Exception {
    HttpResponse<String> r =
        post("/jobs", "{\"url\":\"" + TARGET + "\"}", "Idempotency-Key", "from-header");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(json(r).get("id").asText()).isEqualTo(JobIds.fromIdempotencyKey("from-header"));
    assertThat(json(r).get("idempotencyKey").asText()).isEqualTo("from-header");
  }

  @Test
  void sameKeyWithAnotherRequestIs422() throws Exception {
    post("/jobs", "{\"url\":\"" + TARGET + "\",\"idempotencyKey\":\"k-2\"}");

    HttpResponse<String> r =
        post("/jobs", "{\"url\":\"" + TARGET + "/other\",\"idempotencyKey\":\"k-2\"}");

    assertProblem(r, 422, "idempotency-mismatch");
    assertThat(json(r).get("detail").asText()).contains("k-2");
    assertThat(counter("shardhook.jobs.rejected", "mismatch")).isEqualTo(1.0);
  }

  @Test
  void fullQueueIs429WithRetryAfter() throws Exception {
    jobs.full = true;

    HttpResponse<String> r = post("/jobs", "{\"url\":\"" + TARGET + "\"}");

    assertProblem(r, 429, "queue-full");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(counter("shardhook.jobs.rejected", "queue_full")).isEqualTo(1.0);
  }

  @Test
  void unavailableShardIs503WithRetryAfter() throws Exception {
    jobs.failure = new ShardUnavailableException("no leader", null);

    HttpResponse<String> r = post("/jobs", "{\"url\":\"" + TARGET + "\"}");

    assertProblem(r, 503, "shard-unavailable");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(r).get("detail").asText()).isEqualTo("no leader");
    assertThat(counter("shardhook.jobs.rejected", "unavailable")).isEqualTo(1.0);
  }

  @Test
  void aCommitThatMayStillHappenIs504NamingTheJob() throws Exception {
    jobs.failure = new CommitUnknownException("no answer within 10 s", null);

    HttpResponse<String> r = post("/jobs", "{\"id\":\"maybe-1\",\"url\":\"" + TARGET + "\"}");

    assertProblem(r, 504, "commit-unknown");
    assertThat(r.headers().firstValue("Location")).hasValue("/jobs/maybe-1");
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(json(r).get("detail").asText())
        .contains("job 'maybe-1' may still be created")
        .contains("no answer within 10 s");
  }

  @Test
  void aBatchWhoseCommitMayStillHappenNamesEveryJob() throws Exception {
    jobs.failure = new CommitUnknownException("no answer", null);

    HttpResponse<String> r =
        post(
            "/jobs:batch",
            "[{\"id\":\"b-1\",\"url\":\""
                + TARGET
                + "\"},{\"id\":\"b-2\",\"url\":\""
                + TARGET
                + "\"}]");

    assertThat(r.statusCode()).isEqualTo(207);
    JsonNode items = json(r);
    for (int i = 0; i < 2; i++) {
      assertThat(items.get(i).get("status").asInt()).isEqualTo(504);
      assertThat(items.get(i).get("problem").get("detail").asText())
          .contains("job 'b-" + (i + 1) + "' may still be created");
    }
  }

  @Test
  void brokenJsonIs400WithItsLocation() throws Exception {
    HttpResponse<String> r = post("/jobs", "{\"url\": \"" + TARGET + "\",,}");

    assertProblem(r, 400, "invalid-job");
    assertThat(json(r).get("detail").asText()).startsWith("malformed JSON at line 1, column");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at com.");
    assertThat(json(r).get("instance").asText()).isEqualTo("/jobs");
    assertThat(counter("shardhook.jobs.rejected", "invalid")).isEqualTo(1.0);
  }

  @Test
  void unknownFieldIs400NamingIt() throws Exception {
    HttpResponse<String> r = post("/jobs", "{\"url\":\"" + TARGET + "\",\"bogus\":1}");

    assertProblem(r, 400, "invalid-job");
    assertThat(json(r).get("detail").asText()).startsWith("bogus: unknown field");
  }

  @Test
  void wrongTypeIs400NamingTheField() throws Exception {
    HttpResponse<String> r = post("/jobs", "{\"url\":\"" + TARGET + "\",\"runAt\":\"soon\"}");

    assertProblem(r, 400, "invalid-job");
    assertThat(json(r).get("detail").asText())
        .isEqualTo("runAt: cannot read 'soon' as an RFC 3339 timestamp");
  }

  @Test
  void emptyBodyIs400() throws Exception {
    assertProblem(post("/jobs", ""), 400, "invalid-job");
  }

  @Test
  void badUrlIs400() throws Exception {
    HttpResponse<String> r = post("/jobs", "{\"url\":\"ftp://example.com/x\"}");

    assertProblem(r, 400, "invalid-job");
    assertThat(json(r).get("detail").asText()).startsWith("url: ");
  }

  @Test
  void reservedHeaderIs400() throws Exception {
    HttpResponse<String> r =
        post("/jobs", "{\"url\":\"" + TARGET + "\",\"headers\":{\"Host\":\"evil\"}}");

    assertProblem(r, 400, "invalid-job");
    assertThat(json(r).get("detail").asText()).startsWith("headers.Host: reserved");
  }

  @Test
  void otherMediaTypeIs415ButNoneIsJson() throws Exception {
    String body = "{\"url\":\"" + TARGET + "\"}";

    assertProblem(post("/jobs", body, "Content-Type", "text/plain"), 415, "unsupported-media-type");
    assertThat(send(builder("/jobs").POST(BodyPublishers.ofString(body))).statusCode())
        .isEqualTo(201);
    assertThat(post("/jobs", body, "Content-Type", "application/json; charset=utf-8").statusCode())
        .isEqualTo(201);
  }

  @Test
  void oversizeJobBodyIs413() throws Exception {
    String body = "x".repeat(MAX_BODY_BYTES + 1);

    HttpResponse<String> r =
        post("/jobs", "{\"url\":\"" + TARGET + "\",\"body\":\"" + body + "\"}");

    assertProblem(r, 413, "payload-too-large");
    assertThat(json(r).get("detail").asText()).startsWith("body: ");
    assertThat(counter("shardhook.jobs.rejected", "too_large")).isEqualTo(1.0);
  }

  @Test
  void oversizeRequestIs413() throws Exception {
    String padded = "{\"url\":\"" + TARGET + "\"" + " ".repeat(MAX_REQUEST_BYTES) + "}";

    HttpResponse<String> r = post("/jobs", padded);

    assertProblem(r, 413, "payload-too-large");
    assertThat(json(r).get("detail").asText()).startsWith("request body: ");
  }

  @Test
  void oversizeRequestWithoutLengthIs413() throws Exception {
    byte[] padded =
        ("{\"url\":\"" + TARGET + "\"" + " ".repeat(MAX_REQUEST_BYTES) + "}")
            .getBytes(StandardCharsets.UTF_8);

    // No declared length: sent chunked, so only counting while reading can catch it.
    HttpResponse<String> r =
        send(
            builder("/jobs")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(padded))));

    assertProblem(r, 413, "payload-too-large");
  }

  @Test
  void batchAnswers207InRequestOrder() throws Exception {
    String batch =
        "[{\"url\":\""
            + TARGET
            + "/1\"},"
            + "{\"url\":\"gopher://nope\"},"
            + "{\"url\":\""
            + TARGET
            + "/3\",\"bogus\":true},"
            + "{\"url\":\""
            + TARGET
            + "/4\",\"idempotencyKey\":\"b-4\"}]";

    HttpResponse<String> r = post("/jobs:batch", batch, "Idempotency-Key", "ignored");

    assertThat(r.statusCode()).isEqualTo(207);
    JsonNode items = json(r);
    assertThat(items).hasSize(4);
    assertThat(items.get(0).get("status").asInt()).isEqualTo(201);
    assertThat(items.get(0).get("job").get("url").asText()).isEqualTo(TARGET + "/1");
    assertThat(items.get(1).get("status").asInt()).isEqualTo(400);
    assertThat(items.get(1).get("problem").get("status").asInt()).isEqualTo(400);
    assertThat(items.get(1).get("problem").get("detail").asText()).startsWith("url: ");
    assertThat(items.get(1).has("job")).isFalse();
    assertThat(items.get(2).get("problem").get("detail").asText())
        .startsWith("bogus: unknown field");
    assertThat(items.get(3).get("status").asInt()).isEqualTo(201);
    assertThat(items.get(3).get("job").get("id").asText())
        .isEqualTo(JobIds.fromIdempotencyKey("b-4"));
    assertThat(jobs.submissions).hasSize(1);
    assertThat(jobs.submissions.get(0)).hasSize(2);
    assertThat(counter("shardhook.jobs.accepted", null)).isEqualTo(2.0);
    assertThat(counter("shardhook.jobs.rejected", "invalid")).isEqualTo(2.0);
  }

  @Test
  void batchCarriesReplaysAndRefusalsPerItem() throws Exception {
    post("/jobs", "{\"url\":\"" + TARGET + "\",\"idempotencyKey\":\"same\"}");
    post("/jobs", "{\"url\":\"" + TARGET + "\",\"idempotencyKey\":\"changed\"}");
    String batch =
        "[{\"url\":\""
            + TARGET
            + "\",\"idempotencyKey\":\"same\"},"
            + "{\"url\":\""
            + TARGET
            + "/x\",\"idempotencyKey\":\"changed\"}]";

    JsonNode items = json(post("/jobs:batch", batch));

    assertThat(items.get(0).get("status").asInt()).isEqualTo(200);
    assertThat(items.get(1).get("status").asInt()).isEqualTo(422);
    assertThat(items.get(1).get("problem").get("type").asText())
        .isEqualTo(PROBLEM_TYPES + "idempotency-mismatch");
  }

  @Test
  void batchMustBeANonEmptyArrayOfAtMost1000() throws Exception {
    String tooMany = "[" + String.join(",", java.util.Collections.nCopies(1001, "{}")) + "]";

    assertProblem(post("/jobs:batch", "[]"), 400, "invalid-job");
    assertProblem(post("/jobs:batch", "{\"url\":\"" + TARGET + "\"}"), 400, "invalid-job");
    HttpResponse<String> r = post("/jobs:batch", tooMany);
    assertProblem(r, 400, "invalid-job");
    assertThat(json(r).get("detail").asText()).contains("1001");
    assertThat(jobs.submissions).isEmpty();
  }

  @Test
  void getAnswersTheJobOr404() throws Exception {
    String id =
        json(post("/jobs", "{\"url\":\"" + TARGET + "\",\"id\":\"job-1\"}")).get("id").asText();

    HttpResponse<String> found = send(builder("/jobs/" + id).GET());
    HttpResponse<String> missing = send(builder("/jobs/job-2").GET());
    HttpResponse<String> invalid = send(builder("/jobs/bad%20id").GET());

    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(json(found).get("id").asText()).isEqualTo("job-1");
    assertProblem(missing, 404, "job-not-found");
    assertProblem(invalid, 404, "job-not-found");
    assertThat(jobs.lookups).containsExactly("job-1", "job-2");
  }

  @Test
  void deleteCancelsThenAnswers409() throws Exception {
    post("/jobs", "{\"url\":\"" + TARGET + "\",\"id\":\"job-1\"}");

    HttpResponse<String> first = send(builder("/jobs/job-1").DELETE());
    HttpResponse<String> second = send(builder("/jobs/job-1").DELETE());
    HttpResponse<String> missing = send(builder("/jobs/job-9").DELETE());

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(json(first).get("status").asText()).isEqualTo("CANCELLED");
    assertProblem(second, 409, "job-finished");
    assertThat(json(second).get("detail").asText()).contains("CANCELLED");
    assertProblem(missing, 404, "job-not-found");
  }

  @Test
  void unexpectedFailureIs500WithoutDetails() throws Exception {
    HttpResponse<String> r = send(builder("/jobs/explode").GET());

    assertProblem(r, 500, "internal-error");
    assertThat(json(r).get("detail").asText()).isEqualTo(NodeHttpServer.INTERNAL_DETAIL);
    assertThat(r.body()).doesNotContain("kaboom");
  }

  @Test
  void unknownPathIs404() throws Exception {
    HttpResponse<String> r = send(builder("/nothing/here").GET());

    assertProblem(r, 404, "not-found");
    assertThat(json(r).get("instance").asText()).isEqualTo("/nothing/here");
    assertProblem(send(builder("/jobs/a/b").GET()), 404, "not-found");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> put = send(builder("/jobs").PUT(BodyPublishers.ofString("{}")));
    HttpResponse<String> postHealth = send(builder("/health").POST(BodyPublishers.noBody()));
    HttpResponse<String> putJob = send(builder("/jobs/j").PUT(BodyPublishers.noBody()));

    assertProblem(put, 405, "method-not-allowed");
    assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, POST");
    assertThat(postHealth.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(putJob.headers().firstValue("Allow")).hasValue("DELETE, GET, HEAD, POST");
  }

  @Test
  void healthIsUp() throws Exception {
    HttpResponse<String> r = send(builder("/health").GET());
    HttpResponse<String> head = send(builder("/health").HEAD());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r)).isEqualTo(WireJson.mapper().readTree("{\"status\":\"UP\"}"));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void healthFailsWhenTheNodeCannotRecoverByItself() throws Exception {
    state.down = "state machine stopped: applying entry (t:2, i:40) failed";

    HttpResponse<String> health = send(builder("/health").GET());
    HttpResponse<String> ready = send(builder("/ready").GET());

    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(json(health).get("status").asText()).isEqualTo("DOWN");
    assertThat(json(health).get("reason").asText()).isEqualTo(state.down);
    assertThat(ready.statusCode()).isEqualTo(503);
  }

  @Test
  void readyFollowsTheNodeState() throws Exception {
    HttpResponse<String> ready = send(builder("/ready").GET());
    state.notReady = "no leader for group shard-0";
    HttpResponse<String> notReady = send(builder("/ready").GET());

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).get("status").asText()).isEqualTo("READY");
    assertProblem(notReady, 503, "shard-unavailable");
    assertThat(json(notReady).get("detail").asText()).isEqualTo("no leader for group shard-0");
    assertThat(notReady.headers().firstValue("Retry-After")).hasValue("1");
  }

  @Test
  void statusIsTheNodeStatus() throws Exception {
    HttpResponse<String> r = send(builder("/status").GET());

    assertThat(r.statusCode()).isEqualTo(200);
    NodeStatus status = WireJson.mapper().readValue(r.body(), NodeStatus.class);
    assertThat(status).isEqualTo(FakeState.STATUS);
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    post("/jobs", "{\"url\":\"" + TARGET + "\"}");
    post("/jobs", "{}");

    HttpResponse<String> r = send(builder("/metrics").GET());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body())
        .contains("# TYPE shardhook_jobs_accepted_total counter")
        .contains("shardhook_jobs_accepted_total 1.0")
        .contains("shardhook_jobs_rejected_total{reason=\"invalid\"} 1.0")
        .contains("shardhook_jobs_rejected_total{reason=\"queue_full\"} 0.0");
  }

  @Test
  void jettyErrorsAreProblemsToo() throws Exception {
    String badLine = raw("THIS IS NOT HTTP\r\n\r\n");
    String hugeHeader =
        raw(
            "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");

    assertThat(badLine).startsWith("HTTP/1.1 400");
    assertThat(badLine).containsIgnoringCase("Content-Type: application/problem+json");
    assertThat(badLine).contains("\"status\":400").contains(PROBLEM_TYPES + "bad-request");
    assertThat(hugeHeader).startsWith("HTTP/1.1 431");
    assertThat(hugeHeader).contains("\"status\":431");
  }

  @Test
  void stopAcceptingRefusesNewConnections() throws Exception {
    int port = server.port();

    server.stopAccepting();

    assertThat(server.port()).isEqualTo(port);
    // Jetty closes the listening channel on its acceptor thread: poll until it is gone.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                    .isInstanceOf(ConnectException.class));
  }

  // --- plumbing

  private HttpRequest.Builder builder(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
  }

  private HttpResponse<String> post(String path, String json, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = builder(path).POST(BodyPublishers.ofString(json));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (!typed) {
      b.header("Content-Type", "application/json");
    }
    return send(b);
  }

  private HttpResponse<String> send(HttpRequest.Builder b)
      throws IOException, InterruptedException {
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws IOException {
    return WireJson.mapper().readTree(r.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type)
      throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = json(r);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asText()).isEqualTo(PROBLEM_TYPES + type);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
  }

  private double counter(String name, String reason) {
    var search = registry.get(name);
    return (reason == null ? search : search.tag("reason", reason)).counter().count();
  }

  /** Sends bytes no well-behaved client would, and reads the answer until the server closes. */
  private String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** The shard as a map: ids, fingerprints and a queue-full switch. */
  private static final class FakeJobs implements JobService {
    final Map<String, JobRecord> jobs = new HashMap<>();
    final Map<String, String> fingerprints = new HashMap<>();
    final List<List<NewJob>> submissions = new ArrayList<>();
    final List<String> lookups = new ArrayList<>();
    volatile boolean full;
    volatile RuntimeException failure;
    volatile boolean submittedOnPlatformThread;

    @Override
    public synchronized CompletableFuture<List<SubmitResult>> submit(List<NewJob> batch) {
      submittedOnPlatformThread |= !Thread.currentThread().isVirtual();
      submissions.add(List.copyOf(batch));
      if (failure != null) {
        return CompletableFuture.failedFuture(new CompletionException(failure));
      }
      List<SubmitResult> results = new ArrayList<>();
      for (NewJob n : batch) {
        results.add(admit(n));
      }
      // Complete on another thread, as a real shard does.
      return CompletableFuture.supplyAsync(() -> results);
    }

    private SubmitResult admit(NewJob n) {
      JobRecord earlier = jobs.get(n.id());
      if (earlier != null) {
        boolean same = fingerprints.get(n.id()).equals(n.fingerprint());
        return new SubmitResult(
            same ? SubmitResult.Kind.REPLAYED : SubmitResult.Kind.MISMATCH, earlier);
      }
      if (full) {
        return new SubmitResult(SubmitResult.Kind.QUEUE_FULL, null);
      }
      JobRecord job =
          new JobRecord(
              n.id(),
              "shard-0",
              JobState.PENDING,
              n.url(),
              n.method(),
              n.headers(),
              n.body(),
              n.idempotencyKey(),
              Duration.ofMillis(n.timeoutMs()),
              n.retry(),
              NOW,
              NOW,
              null,
              List.of());
      jobs.put(n.id(), job);
      fingerprints.put(n.id(), n.fingerprint());
      return new SubmitResult(SubmitResult.Kind.CREATED, job);
    }

    @Override
    public synchronized CompletableFuture<Optional<JobRecord>> get(String id) {
      if (id.equals("explode")) {
        throw new IllegalStateException("kaboom");
      }
      lookups.add(id);
      return CompletableFuture.completedFuture(Optional.ofNullable(jobs.get(id)));
    }

    @Override
    public synchronized CompletableFuture<JobPage> list(JobQuery query) {
      List<JobRecord> page =
          jobs.values().stream().filter(query::matches).limit(query.limit()).toList();
      return CompletableFuture.completedFuture(new JobPage(page, null));
    }

    @Override
    public synchronized CompletableFuture<CancelResult> cancel(String id) {
      JobRecord job = jobs.get(id);
      if (job == null) {
        return CompletableFuture.completedFuture(
            new CancelResult(CancelResult.Kind.NOT_FOUND, null));
      }
      if (job.state().isTerminal()) {
        return CompletableFuture.completedFuture(
            new CancelResult(CancelResult.Kind.ALREADY_FINISHED, job));
      }
      JobRecord cancelled =
          new JobRecord(
              job.id(),
              job.shardId(),
              JobState.CANCELLED,
              job.url(),
              job.method(),
              job.headers(),
              job.body(),
              job.idempotencyKey(),
              job.timeout(),
              job.retry(),
              job.createdAt(),
              null,
              NOW,
              job.attempts());
      jobs.put(id, cancelled);
      return CompletableFuture.completedFuture(
          new CancelResult(CancelResult.Kind.CANCELLED, cancelled));
    }

    @Override
    public synchronized CompletableFuture<List<ReplayResult>> replay(List<String> ids) {
      List<ReplayResult> results = new ArrayList<>();
      for (String id : ids) {
        JobRecord job = jobs.get(id);
        if (job == null) {
          results.add(new ReplayResult(ReplayResult.Kind.NOT_FOUND, null));
        } else if (!job.replayable()) {
          results.add(new ReplayResult(ReplayResult.Kind.NOT_REPLAYABLE, job));
        } else {
          JobRecord replayed = job.replayed(NOW);
          jobs.put(id, replayed);
          results.add(new ReplayResult(ReplayResult.Kind.REPLAYED, replayed));
        }
      }
      return CompletableFuture.completedFuture(results);
    }

    @Override
    public CompletableFuture<OperationResult> startOperation(OperationRecord operation) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("bulk replay"));
    }

    @Override
    public CompletableFuture<Optional<OperationRecord>> operation(String id) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }

  private static final class FakeState implements NodeState {
    static final NodeStatus STATUS =
        new NodeStatus(
            "a", "shard-0", "LEADER", "a", 3, 42, 7, 9, 2, true, -1, 0, false, List.of(), 2);

    volatile String notReady;
    volatile String down;

    @Override
    public NodeStatus status() {
      return STATUS;
    }

    @Override
    public Optional<String> notReadyReason() {
      return Optional.ofNullable(down != null ? down : notReady);
    }

    @Override
    public Optional<String> downReason() {
      return Optional.ofNullable(down);
    }
  }
}
