package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchSubmitterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private Server server;
  private final Set<String> stored = ConcurrentHashMap.newKeySet();
  private final AtomicInteger batchCalls = new AtomicInteger();
  private final AtomicInteger singleCalls = new AtomicInteger();
  private final Set<String> authorizations = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void resendsItemsAnswered429AndCountsRefusals() throws Exception {
    // A node that answers the first sight of every even job 429, and refuses job "bad" with 400.
    Set<String> seen = ConcurrentHashMap.newKeySet();
    URI entry =
        startNode(
            true,
            id -> {
              if (id.equals("bad")) {
                return 400;
              }
              boolean even = id.hashCode() % 2 == 0;
              return seen.add(id) && even ? 429 : 201;
            });
    List<BatchSubmitter.PendingJob> jobs = jobs(23);
    jobs.add(new BatchSubmitter.PendingJob("bad", JobBodies.immediateJob("bad", "http://x/", "")));
    Set<String> accepted = ConcurrentHashMap.newKeySet();

    try (NodeHttp http = new NodeHttp(entry, Duration.ofSeconds(5))) {
      BatchSubmitter submitter = new BatchSubmitter(http, 5, 2, Duration.ofSeconds(10), QUIET);
      submitter.submitAll(jobs, accepted::add);

      assertThat(submitter.accepted()).isEqualTo(23);
      assertThat(submitter.failed()).isEqualTo(1);
      assertThat(submitter.resent()).isPositive();
      assertThat(submitter.usedSingleRequests()).isFalse();
    }
    assertThat(accepted).hasSize(23).doesNotContain("bad");
    assertThat(stored).isEqualTo(accepted);
  }

  @Test
  void fallsBackToSingleRequestsWhenThereIsNoBatchEndpoint() throws Exception {
    URI entry = startNode(false, id -> 201);
    Set<String> accepted = ConcurrentHashMap.newKeySet();

    try (NodeHttp http = new NodeHttp(entry, Duration.ofSeconds(5))) {
      BatchSubmitter submitter = new BatchSubmitter(http, 10, 3, Duration.ofSeconds(10), QUIET);
      submitter.submitAll(jobs(37), accepted::add);

      assertThat(submitter.usedSingleRequests()).isTrue();
      assertThat(submitter.accepted()).isEqualTo(37);
    }
    assertThat(accepted).hasSize(37);
    assertThat(singleCalls.get()).isEqualTo(37);
  }

  @Test
  void everyRequestCarriesTheApiKey() throws Exception {
    URI entry = startNode(true, id -> 201);

    try (NodeHttp http = new NodeHttp(entry, Duration.ofSeconds(5), "shk_key")) {
      new BatchSubmitter(http, 4, 2, Duration.ofSeconds(10), QUIET).submitAll(jobs(9), id -> {});
      http.postJson("/jobs", JobBodies.immediateJob("single", "http://x/", ""));
    }

    assertThat(batchCalls.get()).isEqualTo(3);
    assertThat(singleCalls.get()).isEqualTo(1);
    assertThat(authorizations).containsExactly("Bearer shk_key");
  }

  private static List<BatchSubmitter.PendingJob> jobs(int n) {
    List<BatchSubmitter.PendingJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "job-" + i;
      jobs.add(new BatchSubmitter.PendingJob(id, JobBodies.immediateJob(id, "http://x/", "b")));
    }
    return jobs;
  }

  /** A fake node: POST /jobs and (if batch) POST /jobs:batch, each job answered by `verdict`. */
  private URI startNode(boolean batch, java.util.function.ToIntFunction<String> verdict)
      throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            String path = Request.getPathInContext(request);
            authorizations.add(String.valueOf(request.getHeaders().get("Authorization")));
            JsonNode body = MAPPER.readTree(Content.Source.asString(request));
            String answer;
            if (path.equals("/jobs:batch") && batch) {
              batchCalls.incrementAndGet();
              StringBuilder out = new StringBuilder("[");
              for (JsonNode job : body) {
                int status = judge(job, verdict);
                out.append(out.length() > 1 ? "," : "")
                    .append("{\"status\":")
                    .append(status)
                    .append(
                        status < 300
                            ? ",\"job\":{}}"
                            : ",\"problem\":{\"status\":" + status + "}}");
              }
              response.setStatus(207);
              answer = out.append("]").toString();
            } else if (path.equals("/jobs")) {
              singleCalls.incrementAndGet();
              response.setStatus(judge(body, verdict));
              answer = "{}";
            } else {
              response.setStatus(404);
              answer = "{}";
            }
            Content.Sink.write(response, true, answer, callback);
            return true;
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  private int judge(JsonNode job, java.util.function.ToIntFunction<String> verdict) {
    String id = job.get("id").asText();
    int status = verdict.applyAsInt(id);
    if (status == 201) {
      stored.add(id);
    }
    return status;
  }
}
