package dev.shardhook.perf;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes' history tables in the scenario's PostgreSQL (README, "Job history"), read over plain
 * JDBC: whether a node migrated the schema, and the rows of the run's jobs.
 */
final class HistoryTable {
  private final String jdbcUrl;

  /** {@code jdbcUrl} with the user in it, as {@link PostgresServer#jdbcUrl()} gives it. */
  HistoryTable(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  /**
   * Waits until a node created {@code history_cursor} (the nodes migrate the schema when they reach
   * the database); false after {@code timeout}: the nodes never reached it.
   */
  boolean awaitSchema(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(jdbcUrl);
          ResultSet r = c.getMetaData().getTables(null, null, "history_cursor", null)) {
        if (r.next()) {
          return true;
        }
      } catch (SQLException e) {
        // not up yet: ask again
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** Every {@code history_jobs} row whose job id starts with {@code prefix}, with its attempts. */
  List<ExportAccounting.Row> rows(String prefix) throws SQLException {
    String sql =
        "SELECT j.job_id, j.status, (SELECT COUNT(*) FROM history_attempts a"
            + " WHERE a.tenant = j.tenant AND a.job_id = j.job_id)"
            + " FROM history_jobs j WHERE j.job_id LIKE ?";
    List<ExportAccounting.Row> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        PreparedStatement select = c.prepareStatement(sql)) {
      select.setString(1, prefix.replace("_", "\\_").replace("%", "\\%") + "%");
      try (ResultSet r = select.executeQuery()) {
        while (r.next()) {
          rows.add(new ExportAccounting.Row(r.getString(1), r.getString(2), r.getInt(3)));
        }
      }
    }
    return rows;
  }
}
