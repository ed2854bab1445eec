package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shardhook.api.Job;
import dev.shardhook.api.JobStatus;
import dev.shardhook.node.history.HistoryConfig;
import dev.shardhook.node.testing.TestPostgres;
import dev.shardhook.node.testing.TestShard;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared job history against a real PostgreSQL: only the leader exports; a leader killed
 * mid-stream and an exporter stopped and started again mid-stream leave every finished job in the
 * database exactly once, with its attempts.
 */
class HistoryPostgresTest extends ShardFixture {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @AutoClose TestPostgres pg;

  private Connection sql() throws SQLException {
    return DriverManager.getConnection(pg.jdbcUrl(), TestPostgres.USER, "");
  }

  private long[] counts() throws SQLException {
    try (Connection c = sql();
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*), COUNT(DISTINCT job_id),"
                        + " COUNT(*) FILTER (WHERE status = 'SUCCEEDED'),"
                        + " (SELECT COUNT(*) FROM history_attempts) FROM history_jobs")) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)};
    } catch (SQLException e) {
      // Before the first leader has migrated the schema.
      return new long[] {-1, -1, -1, -1};
    }
  }

  private List<String> submit(int n, String path) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          client.post(leaderUrl() + "/jobs", "{\"url\":\"" + receiver.url(path) + "\"}");
      assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
      ids.add(NodeClient.parse(r.body(), Job.class).id());
    }
    return ids;
  }

  private void awaitSucceeded(List<String> ids) {
    await("every job succeeded")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                ids.stream()
                    .allMatch(id -> client.job(leaderUrl(), id).status() == JobStatus.SUCCEEDED));
  }

  private void awaitRows(long jobs) throws SQLException {
    await(jobs + " history rows")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> counts()[0] == jobs);
    long[] c = assertExactlyOnce();
    assertThat(c[0]).isEqualTo(jobs);
  }

  private long[] assertExactlyOnce() throws SQLException {
    long[] c = counts();
    assertThat(c[1]).as("distinct jobs").isEqualTo(c[0]);
    assertThat(c[2]).as("succeeded").isEqualTo(c[0]);
    // One attempt each: a job exported twice would still have one row, but never two attempts.
    assertThat(c[3]).as("attempts").isEqualTo(c[0]);
    return c;
  }

  @Test
  void everyFinishedJobIsExportedOnceAcrossALeaderKillAndAnExporterRestart() throws Exception {
    pg = TestPostgres.start();
    shard =
        TestShard.start(
            dir,
            b ->
                b.history(
                    new HistoryConfig(
                        HistoryConfig.Mode.SHARED,
                        pg.jdbcUrl(),
                        TestPostgres.USER,
                        "",
                        Duration.ofDays(90))));
    receiver.latency(20);

    // A leader killed mid-stream: the new leader resumes from the shard's cursor.
    List<String> first = submit(40, "/pg-1");
    await("some exported").atMost(TIMEOUT).until(() -> counts()[0] > 0);
    int leader = shard.awaitLeader();
    shard.stop(leader);
    List<String> second = submit(20, "/pg-2");
    awaitSucceeded(first);
    awaitSucceeded(second);
    awaitRows(first.size() + second.size());
    shard.start(leader);

    // The exporter stopped and started again mid-stream, on whichever node leads now.
    int now = shard.awaitLeader();
    shard.node(now).history().orElseThrow().pauseExport();
    List<String> third = submit(20, "/pg-3");
    awaitSucceeded(third);
    long before = counts()[0];
    assertThat(before).isLessThanOrEqualTo(first.size() + second.size() + third.size());
    shard
        .node(now)
        .history()
        .orElseThrow()
        .resumeExport(() -> shard.node(now).status().leaderReady());
    awaitRows(first.size() + second.size() + third.size());

    try (Connection c = sql();
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT j.job_json, a.status_code, c.applied_index, j.export_index"
                        + " FROM history_jobs j JOIN history_attempts a"
                        + " ON a.tenant = j.tenant AND a.job_id = j.job_id"
                        + " JOIN history_cursor c ON c.shard = j.shard WHERE j.job_id = '"
                        + third.getLast()
                        + "'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getString(1)).contains("\"id\":\"" + third.getLast() + "\"");
      assertThat(r.getInt(2)).isEqualTo(200);
      assertThat(r.getLong(3)).isGreaterThanOrEqualTo(r.getLong(4));
    }
    // The shard first, so no exporter is cut off by the database going away.
    shard.close();
    shard = null;
  }

  @Test
  void aDatabaseThatIsDownDelaysTheExportAndThePurgeWaitsForIt() throws Exception {
    pg = TestPostgres.start();
    shard =
        TestShard.start(
            dir,
            b ->
                b.retention(Duration.ofSeconds(1))
                    .history(
                        new HistoryConfig(
                            HistoryConfig.Mode.SHARED,
                            pg.jdbcUrl(),
                            TestPostgres.USER,
                            "",
                            Duration.ofDays(90))));
    await("schema migrated").atMost(TIMEOUT).until(() -> counts()[0] == 0);
    pg.stop();
    List<String> ids = submit(5, "/pg-down");
    awaitSucceeded(ids);
    await("kept in the store while the database is down")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ids.stream()
                    .allMatch(id -> shard.node(shard.awaitLeader()).store().job(id).isPresent()));
    pg.restart();
    awaitRows(ids.size());
    await("purged once exported")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (int n = 0; n < 3; n++) {
                for (String id : ids) {
                  if (shard.node(n).store().job(id).isPresent()) {
                    return false;
                  }
                }
              }
              return true;
            });
    // Every node reads it back from the shared database.
    for (int n = 0; n < 3; n++) {
      Job read = client.job(shard.url(n), ids.getFirst());
      assertThat(read.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(read.attempts()).hasSize(1);
    }
    shard.close();
    shard = null;
  }
}
