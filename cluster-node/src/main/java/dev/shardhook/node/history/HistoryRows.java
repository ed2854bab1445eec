package dev.shardhook.node.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.WireJson;
import dev.shardhook.node.http.JobJson;
import dev.shardhook.node.job.AttemptRecord;
import dev.shardhook.node.job.JobHost;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.node.store.JobBytes;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The SQL of the history: one shard's exported jobs with their attempts, its cursor, and the reads
 * that fall back to it. Jobs are keyed by tenant and the tenant's own id.
 */
final class HistoryRows {
  /** A job to write, with the log index at which it became final (newer rows win). */
  record Exported(long index, JobRecord job) {}

  private static final String COLUMNS =
      "shard, status, url, host, method, idempotency_key, created_at_ms, finished_at_ms,"
          + " attempts, job_json, job_record, export_index, tenant, job_id";

  private final DataSource db;
  private final String shard;

  HistoryRows(DataSource db, String shard) {
    this.db = db;
    this.shard = shard;
  }

  /** The log index this shard's history is exported through; -1 before the first export. */
  long cursor() throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT applied_index FROM history_cursor WHERE shard = ?")) {
      s.setString(1, shard);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : -1;
      }
    }
  }

  /**
   * Writes {@code jobs} and moves the cursor to {@code through}, in one transaction: a restart
   * resumes after the last commit, with nothing lost and nothing twice. A row already written from
   * a later log index (a newer leader got further) is left alone, and the cursor never goes back.
   *
   * @return the jobs written
   */
  int export(List<Exported> jobs, long through, long nowMs) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        int written = 0;
        for (Exported e : jobs) {
          if (upsertJob(c, e)) {
            writeQueue(c, e.job());
            writeAttempts(c, e.job());
            written++;
          }
        }
        moveCursor(c, through, nowMs);
        c.commit();
        return written;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private boolean upsertJob(Connection c, Exported e) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE history_jobs SET shard = ?, status = ?, url = ?, host = ?, method = ?,"
                + " idempotency_key = ?, created_at_ms = ?, finished_at_ms = ?, attempts = ?,"
                + " job_json = ?, job_record = ?, export_index = ?"
                + " WHERE tenant = ? AND job_id = ? AND export_index < ?")) {
      bindJob(s, e);
      s.setLong(15, e.index());
      if (s.executeUpdate() > 0) {
        return true;
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO history_jobs ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      bindJob(s, e);
      return s.executeUpdate() > 0;
    }
  }

  private void bindJob(PreparedStatement s, Exported e) throws SQLException {
    JobRecord job = e.job();
    s.setString(1, shard);
    s.setString(2, job.state().name());
    s.setString(3, job.url());
    s.setString(4, JobHost.of(job.url()));
    s.setString(5, job.method());
    setNullable(s, 6, TenantIds.publicKey(job.id(), job.idempotencyKey()));
    s.setLong(7, job.createdAt().toEpochMilli());
    s.setLong(8, job.finishedAt() == null ? 0 : job.finishedAt().toEpochMilli());
    s.setInt(9, job.attempts().size());
    s.setString(10, JobJson.of(job));
    s.setBytes(11, JobBytes.encode(job));
    s.setLong(12, e.index());
    s.setString(13, TenantIds.tenantOf(job.id()));
    s.setString(14, TenantIds.publicId(job.id()));
  }

  /** The job's named queue; the column's default is the default queue (README, "Queues"). */
  private static void writeQueue(Connection c, JobRecord job) throws SQLException {
    if (job.queue().equals(JobRecord.DEFAULT_QUEUE)) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement("UPDATE history_jobs SET queue = ? WHERE tenant = ? AND job_id = ?")) {
      s.setString(1, job.queue());
      s.setString(2, TenantIds.tenantOf(job.id()));
      s.setString(3, TenantIds.publicId(job.id()));
      s.executeUpdate();
    }
  }

  private static void writeAttempts(Connection c, JobRecord job) throws SQLException {
    String tenant = TenantIds.tenantOf(job.id());
    String id = TenantIds.publicId(job.id());
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM history_attempts WHERE tenant = ? AND job_id = ?")) {
      s.setString(1, tenant);
      s.setString(2, id);
      s.executeUpdate();
    }
    if (job.attempts().isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO history_attempts (tenant, job_id, number, started_at_ms, duration_ms,"
                + " status_code, error, response_headers, response_body, response_truncated)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (AttemptRecord a : job.attempts()) {
        s.setString(1, tenant);
        s.setString(2, id);
        s.setInt(3, a.number());
        s.setLong(4, a.startedAt() == null ? 0 : a.startedAt().toEpochMilli());
        s.setLong(5, a.duration().toMillis());
        if (a.statusCode() == null) {
          s.setNull(6, Types.INTEGER);
        } else {
          s.setInt(6, a.statusCode());
        }
        setNullable(s, 7, a.error());
        if (a.response() == null) {
          s.setNull(8, Types.VARCHAR);
          s.setNull(9, Types.VARCHAR);
          s.setNull(10, Types.BOOLEAN);
        } else {
          s.setString(8, json(a.response().headers()));
          s.setString(9, a.response().body());
          s.setBoolean(10, a.response().bodyTruncated());
        }
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  private void moveCursor(Connection c, long through, long nowMs) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO history_cursor (shard, applied_index, updated_at_ms) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      s.setString(1, shard);
      s.setLong(2, through);
      s.setLong(3, nowMs);
      if (s.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE history_cursor SET applied_index = ?, updated_at_ms = ?"
                + " WHERE shard = ? AND applied_index < ?")) {
      s.setLong(1, through);
      s.setLong(2, nowMs);
      s.setString(3, shard);
      s.setLong(4, through);
      s.executeUpdate();
    }
  }

  /** The job {@code scopedId} as last exported, from any shard. */
  Optional<JobRecord> find(String scopedId) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT job_record FROM history_jobs WHERE tenant = ? AND job_id = ?")) {
      s.setString(1, TenantIds.tenantOf(scopedId));
      s.setString(2, TenantIds.publicId(scopedId));
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(JobBytes.decode(r.getBytes(1))) : Optional.empty();
      }
    }
  }

  /**
   * Up to {@code query.limit()} of this shard's exported jobs matching {@code query}, newest first
   * (creation time, then id, as the store lists them), starting after {@code query.after()}.
   */
  List<JobRecord> page(JobQuery query) throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT job_record FROM history_jobs WHERE shard = ? AND tenant = ?");
    List<Object> args = new ArrayList<>(List.of(shard, query.tenant()));
    if (query.status() != null) {
      sql.append(" AND status = ?");
      args.add(query.status().name());
    }
    if (query.host() != null) {
      sql.append(" AND host = ?");
      args.add(query.host());
    }
    if (query.queue() != null) {
      sql.append(" AND queue = ?");
      args.add(query.queue());
    }
    if (query.createdAfter() != null) {
      sql.append(" AND created_at_ms > ?");
      args.add(query.createdAfter());
    }
    if (query.createdBefore() != null) {
      sql.append(" AND created_at_ms < ?");
      args.add(query.createdBefore());
    }
    if (query.idempotencyKey() != null) {
      sql.append(" AND idempotency_key = ?");
      args.add(
          TenantIds.publicKey(TenantIds.scoped(query.tenant(), "job"), query.idempotencyKey()));
    }
    if (query.after() != null) {
      sql.append(" AND (created_at_ms < ? OR (created_at_ms = ? AND job_id < ?))");
      args.add(query.after().createdAtMs());
      args.add(query.after().createdAtMs());
      args.add(TenantIds.publicId(query.after().id()));
    }
    sql.append(" ORDER BY created_at_ms DESC, job_id DESC LIMIT ?");
    args.add(query.limit());
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        switch (args.get(i)) {
          case String text -> s.setString(i + 1, text);
          case Long number -> s.setLong(i + 1, number);
          case Integer number -> s.setInt(i + 1, number);
          default -> throw new IllegalStateException("unexpected argument " + args.get(i));
        }
      }
      List<JobRecord> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(JobBytes.decode(r.getBytes(1)));
        }
      }
      return out;
    }
  }

  /**
   * Deletes up to {@code limit} of this shard's jobs that finished before {@code beforeMs}, with
   * their attempts; returns how many.
   */
  int deleteFinishedBefore(long beforeMs, int limit) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        List<String[]> keys = new ArrayList<>();
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT tenant, job_id FROM history_jobs WHERE shard = ? AND finished_at_ms < ?"
                    + " LIMIT ?")) {
          s.setString(1, shard);
          s.setLong(2, beforeMs);
          s.setInt(3, limit);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              keys.add(new String[] {r.getString(1), r.getString(2)});
            }
          }
        }
        if (!keys.isEmpty()) {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM history_jobs WHERE tenant = ? AND job_id = ?")) {
            for (String[] k : keys) {
              s.setString(1, k[0]);
              s.setString(2, k[1]);
              s.addBatch();
            }
            s.executeBatch();
          }
        }
        c.commit();
        return keys.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void setNullable(PreparedStatement s, int at, String value) throws SQLException {
    if (value == null) {
      s.setNull(at, Types.VARCHAR);
    } else {
      s.setString(at, value);
    }
  }

  private static String json(Object value) {
    try {
      return WireJson.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
