package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobList;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.history.History;
import dev.shardhook.node.history.HistoryConfig;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded job history on a real three-node shard: every node exports finished jobs with their
 * attempts and captured answers into its own H2 database; the retention purge waits for the
 * exporter; after the purge, reads and lists fall back to the history.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryEmbeddedTest extends ShardFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path dir;

  @BeforeAll
  void start() {
    shard =
        TestShard.start(
            dir,
            b ->
                b.retention(Duration.ofSeconds(1))
                    .history(
                        new HistoryConfig(
                            HistoryConfig.Mode.EMBEDDED, null, null, null, Duration.ofDays(90))));
  }

  private Job submit(String json) {
    HttpResponse<String> r = client.post(leaderUrl() + "/jobs", json);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return NodeClient.parse(r.body(), Job.class);
  }

  private boolean purgedEverywhere(List<String> ids) {
    for (int n = 0; n < 3; n++) {
      for (String id : ids) {
        if (shard.node(n).store().job(id).isPresent()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether every node holds {@code id} (finished, when {@code finished}). */
  private boolean heldEverywhere(String id, boolean finished) {
    for (int n = 0; n < 3; n++) {
      var job = shard.node(n).store().job(id);
      if (job.isEmpty() || (finished && !job.get().job().state().isTerminal())) {
        return false;
      }
    }
    return true;
  }

  private static Connection history(ShardNode node) throws SQLException {
    return DriverManager.getConnection(History.embeddedJdbcUrl(node.config().dataDir()));
  }

  @Test
  void finishedJobsReachEveryNodesHistoryAndAreReadFromItAfterThePurge() throws Exception {
    receiver.script(
        "/history-fail",
        new MockResponse.Builder()
            .code(500)
            .addHeader("Content-Type", "text/plain")
            .body("receiver says no")
            .build());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(submit("{\"url\":\"" + receiver.url("/history-ok") + "\"}").id());
    }
    String failed =
        submit("{\"url\":\"" + receiver.url("/history-fail") + "\",\"retry\":{\"maxAttempts\":1}}")
            .id();
    ids.add(failed);

    await("purged from every replica once exported")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> purgedEverywhere(ids));

    for (int n = 0; n < 3; n++) {
      try (Connection c = history(shard.node(n));
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT j.status, a.status_code, a.response_body, j.job_json, j.shard"
                      + " FROM history_jobs j JOIN history_attempts a"
                      + " ON a.tenant = j.tenant AND a.job_id = j.job_id WHERE j.job_id = ?")) {
        s.setString(1, failed);
        try (ResultSet r = s.executeQuery()) {
          assertThat(r.next()).as("node %d holds the failed job", n).isTrue();
          assertThat(r.getString(1)).isEqualTo("FAILED");
          assertThat(r.getInt(2)).isEqualTo(500);
          assertThat(r.getString(3)).isEqualTo("receiver says no");
          assertThat(r.getString(4)).contains("\"status\":\"FAILED\"");
          assertThat(r.getString(5)).isEqualTo(shard.shardId());
          assertThat(r.next()).as("one attempt").isFalse();
        }
      }
      try (Connection c = history(shard.node(n));
          ResultSet r =
              c.createStatement()
                  .executeQuery("SELECT COUNT(*), COUNT(DISTINCT job_id) FROM history_jobs")) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(r.getLong(2)).isGreaterThanOrEqualTo(ids.size());
      }
    }

    // Every node answers from its own history.
    for (int n = 0; n < 3; n++) {
      Job read = client.job(shard.url(n), failed);
      assertThat(read.status()).isEqualTo(JobStatus.FAILED);
      assertThat(read.attempts()).hasSize(1);
      assertThat(read.attempts().getFirst().statusCode()).isEqualTo(500);
      assertThat(read.attempts().getFirst().response().body()).isEqualTo("receiver says no");
    }
    assertThat(client.get(leaderUrl() + "/jobs/never-was").statusCode()).isEqualTo(404);

    // Two jobs still in the store, newer than the purged ones: the list pages through both
    // sources in one order, newest first, each job once.
    List<String> waiting = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      waiting.add(
          submit(
                  "{\"url\":\""
                      + receiver.url("/history-later")
                      + "\",\"runAt\":\""
                      + Instant.now().plusSeconds(3600)
                      + "\"}")
              .id());
    }
    List<Job> listed = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String url = leaderUrl() + "/jobs?limit=3" + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<String> r = client.get(url);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JobList page = NodeClient.parse(r.body(), JobList.class);
      listed.addAll(page.jobs());
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null && pages < 20);
    List<String> listedIds = listed.stream().map(Job::id).toList();
    assertThat(listedIds).doesNotHaveDuplicates().containsAll(ids).containsAll(waiting);
    assertThat(listedIds.subList(0, 2)).containsExactlyInAnyOrderElementsOf(waiting);
    assertThat(listed)
        .extracting(Job::createdAt)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    JobList failedOnly =
        NodeClient.parse(client.get(leaderUrl() + "/jobs?status=FAILED").body(), JobList.class);
    assertThat(failedOnly.jobs()).extracting(Job::id).contains(failed);
    assertThat(failedOnly.jobs()).allMatch(j -> j.status() == JobStatus.FAILED);
  }

  @Test
  void thePurgeWaitsForTheExporter() {
    for (int n = 0; n < 3; n++) {
      shard.node(n).history().orElseThrow().pauseExport();
    }
    try {
      String id = submit("{\"url\":\"" + receiver.url("/history-held") + "\"}").id();
      await("delivered").atMost(TIMEOUT).until(() -> !receiver.deliveries(id).isEmpty());
      await("final on every replica").atMost(TIMEOUT).until(() -> heldEverywhere(id, true));
      // Retention is 1 s and the purge runs every 100 ms: without the gate it would be gone.
      await("kept while the exporter is stopped")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .until(() -> heldEverywhere(id, false));
      assertThat(client.job(leaderUrl(), id).status()).isEqualTo(JobStatus.SUCCEEDED);
      for (int n = 0; n < 3; n++) {
        shard.node(n).history().orElseThrow().resumeExport(() -> true);
      }
      await("purged once exported")
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> purgedEverywhere(List.of(id)));
      assertThat(client.job(leaderUrl(), id).status()).isEqualTo(JobStatus.SUCCEEDED);
    } finally {
      for (int n = 0; n < 3; n++) {
        shard.node(n).history().orElseThrow().resumeExport(() -> true);
      }
    }
  }
}
