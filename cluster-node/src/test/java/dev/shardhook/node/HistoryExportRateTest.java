package dev.shardhook.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, off by default: the exporter's rows per second into a real PostgreSQL against the
 * rate the shard accepted the same jobs. The exporter is held while the jobs are accepted and
 * delivered, then let go on the backlog, so its rate is measured alone:
 *
 * <pre>
 * ./mvnw -o -pl cluster-node -am verify -Dtest=HistoryExportRateTest \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dhistory.rate.jobs=20000
 * </pre>
 *
 * The figures are printed as one line starting {@code history export rate}.
 */
@EnabledIfSystemProperty(named = "history.rate.jobs", matches = "[0-9]+")
class HistoryExportRateTest extends ShardFixture {
  private static final int BATCH = 500;

  @TempDir Path dir;

  private static long rows(TestPostgres pg) {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), TestPostgres.USER, "");
        ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM history_jobs")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      return -1; // before the schema exists
    }
  }

  @Test
  void exportRateAgainstAcceptRate() throws Exception {
    int total = Integer.getInteger("history.rate.jobs") / BATCH * BATCH;
    try (TestPostgres pg = TestPostgres.start()) {
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
      int leader = shard.awaitLeader();
      await("schema").atMost(Duration.ofSeconds(30)).until(() -> rows(pg) == 0);
      shard.node(leader).history().orElseThrow().pauseExport();
      StringBuilder batch = new StringBuilder("[");
      for (int i = 0; i < BATCH; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"url\":\"").append(receiver.url("/rate"));
        batch.append("\"}");
      }
      String body = batch.append("]").toString();
      long t0 = System.nanoTime();
      for (int i = 0; i < total / BATCH; i++) {
        HttpResponse<String> r = client.post(shard.url(leader) + "/jobs:batch", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
      }
      long accepted = System.nanoTime();
      await("delivered")
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> shard.node(leader).status().pending() == 0);
      long delivered = System.nanoTime();
      shard.node(leader).history().orElseThrow().resumeExport(() -> true);
      await("exported")
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> rows(pg) == total);
      long exported = System.nanoTime();
      System.out.printf(
          "history export rate: %d jobs, accepted %.0f jobs/s, delivered %.0f jobs/s,"
              + " exported %.0f rows/s%n",
          total,
          total / ((accepted - t0) / 1e9),
          total / ((delivered - accepted) / 1e9),
          total / ((exported - delivered) / 1e9));
      shard.close();
      shard = null;
    }
  }
}
