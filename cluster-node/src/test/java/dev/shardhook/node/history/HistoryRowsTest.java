package dev.shardhook.node.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.codec.JobSamples;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.store.JobBytes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history's SQL on the embedded database: upserts that only move forward, pages, expiry. */
class HistoryRowsTest {
  private static final Instant T0 = Instant.parse("2030-01-02T03:00:00Z");

  @TempDir Path dir;
  private HistoryDatabase db;
  private HistoryRows rows;

  @BeforeEach
  void open() {
    db =
        HistoryDatabase.open(
            new HistoryConfig(HistoryConfig.Mode.EMBEDDED, null, null, null, Duration.ofDays(1)),
            dir);
    db.migrate();
    rows = new HistoryRows(db.dataSource(), "shard-x");
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static JobRecord job(String id, Instant createdAt, JobState state) {
    JobRecord j = JobSamples.capturedJob();
    return new JobRecord(
        id,
        "shard-x",
        state,
        j.url(),
        j.method(),
        j.headers(),
        j.body(),
        null,
        j.timeout(),
        j.retry(),
        createdAt,
        null,
        createdAt.plusSeconds(60),
        j.attempts());
  }

  private static JobRecord inQueue(JobRecord j, String queue) {
    return new JobRecord(
        j.id(),
        j.shardId(),
        j.state(),
        j.url(),
        j.method(),
        j.headers(),
        j.body(),
        j.idempotencyKey(),
        j.timeout(),
        j.retry(),
        j.createdAt(),
        j.nextAttemptAt(),
        j.finishedAt(),
        j.attempts(),
        j.attemptsBeforeReplay(),
        j.replayedAt(),
        queue,
        null);
  }

  @Test
  void pagesFilterByQueueAndRowsFromBeforeQueuesAreInTheDefaultOne() throws Exception {
    rows.export(
        List.of(
            new HistoryRows.Exported(1, job("a", T0, JobState.SUCCEEDED)),
            new HistoryRows.Exported(2, inQueue(job("b", T0, JobState.FAILED), "billing")),
            new HistoryRows.Exported(3, inQueue(job("c", T0, JobState.FAILED), "billing"))),
        3,
        1);
    JobQuery billing = new JobQuery("default", null, null, null, null, null, 10, null, "billing");
    assertThat(rows.page(billing)).extracting(JobRecord::id).containsExactly("c", "b");
    JobQuery plain = new JobQuery("default", null, null, null, null, null, 10, null, "default");
    assertThat(rows.page(plain)).extracting(JobRecord::id).containsExactly("a");
  }

  private long count(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        ResultSet r = c.createStatement().executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Test
  void aJobIsWrittenWithItsAttemptsAndReadBackAsExported() throws Exception {
    JobRecord job = JobSamples.capturedJob();
    assertThat(rows.cursor()).isEqualTo(-1);
    assertThat(rows.export(List.of(new HistoryRows.Exported(7, job)), 9, 1)).isEqualTo(1);
    assertThat(rows.cursor()).isEqualTo(9);
    assertThat(rows.find(job.id())).contains(JobBytes.decode(JobBytes.encode(job)));
    assertThat(count("SELECT COUNT(*) FROM history_attempts")).isEqualTo(3);
    assertThat(
            count(
                "SELECT COUNT(*) FROM history_attempts WHERE number = 1 AND status_code = 500"
                    + " AND response_truncated AND response_headers LIKE '%x-request-id%'"))
        .isEqualTo(1);
    assertThat(rows.find("someone-else/" + job.id())).isEmpty();
  }

  @Test
  void onlyAnExportFromALaterIndexReplacesARowAndTheCursorNeverGoesBack() throws Exception {
    JobRecord failed = job("j", T0, JobState.FAILED);
    rows.export(List.of(new HistoryRows.Exported(10, failed)), 10, 1);

    // A stale writer (an old leader still running) comes later with an older copy.
    JobRecord older = job("j", T0, JobState.CANCELLED);
    assertThat(rows.export(List.of(new HistoryRows.Exported(5, older)), 5, 2)).isZero();
    assertThat(rows.find("j").orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(rows.cursor()).isEqualTo(10);
    assertThat(rows.export(List.of(new HistoryRows.Exported(10, older)), 10, 3)).isZero();

    // Replayed and finished again: a later index wins, attempts replaced, not added.
    JobRecord again = job("j", T0, JobState.SUCCEEDED);
    assertThat(rows.export(List.of(new HistoryRows.Exported(12, again)), 12, 4)).isEqualTo(1);
    assertThat(rows.find("j").orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(rows.cursor()).isEqualTo(12);
    assertThat(count("SELECT COUNT(*) FROM history_jobs")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM history_attempts")).isEqualTo(3);
  }

  @Test
  void pagesGoNewestFirstByTimeThenIdAndResumeAfterAPosition() throws Exception {
    rows.export(
        List.of(
            new HistoryRows.Exported(1, job("a", T0, JobState.SUCCEEDED)),
            new HistoryRows.Exported(2, job("b", T0, JobState.FAILED)),
            new HistoryRows.Exported(3, job("B", T0, JobState.SUCCEEDED)),
            new HistoryRows.Exported(4, job("c", T0.minusSeconds(1), JobState.SUCCEEDED)),
            new HistoryRows.Exported(5, job("t/x", T0, JobState.SUCCEEDED))),
        5,
        1);
    JobQuery all = new JobQuery("default", null, null, null, null, null, 2, null);
    // Byte order, as RocksDB's indexes: "b" > "a" > "B".
    assertThat(rows.page(all)).extracting(JobRecord::id).containsExactly("b", "a");
    JobQuery next =
        new JobQuery(
            "default",
            null,
            null,
            null,
            null,
            null,
            2,
            new JobQuery.Position(T0.toEpochMilli(), "a"));
    assertThat(rows.page(next)).extracting(JobRecord::id).containsExactly("B", "c");
    JobQuery failed = new JobQuery("default", JobState.FAILED, null, null, null, null, 10, null);
    assertThat(rows.page(failed)).extracting(JobRecord::id).containsExactly("b");
    JobQuery tenant = new JobQuery("t", null, null, null, null, null, 10, null);
    assertThat(rows.page(tenant)).extracting(JobRecord::id).containsExactly("t/x");
  }

  @Test
  void expiryDeletesOldRowsWithTheirAttemptsInBatches() throws Exception {
    rows.export(
        List.of(
            new HistoryRows.Exported(1, job("old-1", T0, JobState.SUCCEEDED)),
            new HistoryRows.Exported(2, job("old-2", T0, JobState.SUCCEEDED)),
            new HistoryRows.Exported(3, job("new", T0.plusSeconds(3600), JobState.SUCCEEDED))),
        3,
        1);
    long cutoff = T0.plusSeconds(120).toEpochMilli();
    assertThat(rows.deleteFinishedBefore(cutoff, 1)).isEqualTo(1);
    assertThat(rows.deleteFinishedBefore(cutoff, 1)).isEqualTo(1);
    assertThat(rows.deleteFinishedBefore(cutoff, 1)).isZero();
    assertThat(rows.find("new")).isPresent();
    assertThat(count("SELECT COUNT(*) FROM history_attempts")).isEqualTo(3);
  }
}
