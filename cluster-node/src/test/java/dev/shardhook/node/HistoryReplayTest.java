package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.history.History;
import dev.shardhook.node.history.HistoryConfig;
import dev.shardhook.node.testing.RecordingReceiver;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed job already in the history is replayed and succeeds: every node's history row moves on
 * to the new outcome, with all attempts, in place (one row per job).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryReplayTest extends ShardFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path dir;

  @BeforeAll
  void start() {
    shard =
        TestShard.start(
            dir,
            b ->
                b.history(
                    new HistoryConfig(
                        HistoryConfig.Mode.EMBEDDED, null, null, null, Duration.ofDays(90))));
  }

  /** The job's history row on one node: status and attempts, or null when not exported yet. */
  private static String row(ShardNode node, String id) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(History.embeddedJdbcUrl(node.config().dataDir()));
        PreparedStatement s =
            c.prepareStatement(
                "SELECT j.status, j.attempts, (SELECT COUNT(*) FROM history_attempts a"
                    + " WHERE a.tenant = j.tenant AND a.job_id = j.job_id),"
                    + " (SELECT COUNT(*) FROM history_jobs k WHERE k.job_id = j.job_id)"
                    + " FROM history_jobs j WHERE j.job_id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? r.getString(1) + "/" + r.getInt(2) + "/" + r.getInt(3) + "/" + r.getInt(4)
            : null;
      }
    }
  }

  private boolean everyNodeHas(String id, String expected) throws SQLException {
    for (int n = 0; n < 3; n++) {
      if (!expected.equals(row(shard.node(n), id))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aReplayedJobReplacesItsHistoryRowWhenItFinishesAgain() throws Exception {
    receiver.script("/replayed", RecordingReceiver.status(500));
    HttpResponse<String> created =
        client.post(
            leaderUrl() + "/jobs",
            "{\"url\":\"" + receiver.url("/replayed") + "\",\"retry\":{\"maxAttempts\":1}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = NodeClient.parse(created.body(), Job.class).id();

    // status / attempts column / attempt rows / rows for the id
    await("the failure is in every node's history")
        .atMost(TIMEOUT)
        // Until a node's exporter has migrated its database, the tables are not there.
        .ignoreExceptionsInstanceOf(SQLException.class)
        .until(() -> everyNodeHas(id, "FAILED/1/1/1"));

    HttpResponse<String> replayed = client.post(leaderUrl() + "/jobs/" + id + ":replay", "");
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
    assertThat(NodeClient.parse(replayed.body(), Job.class).status()).isEqualTo(JobStatus.PENDING);

    await("the success replaces it, with both attempts")
        .atMost(TIMEOUT)
        .until(() -> everyNodeHas(id, "SUCCEEDED/2/2/1"));
    Job read = client.job(leaderUrl(), id);
    assertThat(read.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(read.attempts()).extracting(a -> a.statusCode()).containsExactly(500, 200);
  }
}
