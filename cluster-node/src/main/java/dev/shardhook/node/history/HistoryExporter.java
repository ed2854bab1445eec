package dev.shardhook.node.history;

import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.store.JobStore;
import dev.shardhook.node.store.StoredJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies jobs that became final from the store's export queue into the history database, a page at
 * a time, each page and the cursor in one SQL transaction (README, "Job history"). It reads the
 * cursor back from the database every round, so a restart, or a new leader writing to the shared
 * database, resumes where the last commit left off. A database that is down only delays it: the
 * loop logs, counts and tries again.
 */
final class HistoryExporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryExporter.class);

  static final int PAGE = 500;
  // Pages one round writes at most, so a backlog does not hold the thread from stop().
  private static final int MAX_PAGES_PER_ROUND = 100;
  private static final Duration IDLE = Duration.ofMillis(100);
  private static final int RETENTION_BATCH = 1_000;
  private static final Duration MAX_RETENTION_INTERVAL = Duration.ofMinutes(1);
  // A database that is down is tried again after a pause doubling up to this, and logged about
  // once a minute, not every round.
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration LOG_EVERY = Duration.ofMinutes(1);

  private final JobStore store;
  private final HistoryDatabase database;
  private final HistoryRows rows;
  private final ExportProgress progress;
  private final Duration retention;
  private final Clock clock;
  private final LongSupplier appliedIndex;
  private final Counter exported;
  private final Counter failures;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("history-exporter").daemon().factory());
  private ScheduledFuture<?> rounds;
  private volatile boolean migrated;
  private volatile long lagEntries;
  private volatile double lagSeconds;
  private long retentionDueAtMs;
  private int failuresInARow;
  private long retryAtMs;
  private long loggedAtMs = Long.MIN_VALUE / 2;

  HistoryExporter(
      JobStore store,
      HistoryDatabase database,
      HistoryRows rows,
      ExportProgress progress,
      Duration retention,
      Clock clock,
      LongSupplier appliedIndex,
      MeterRegistry registry) {
    this.store = store;
    this.database = database;
    this.rows = rows;
    this.progress = progress;
    this.retention = retention;
    this.clock = clock;
    this.appliedIndex = appliedIndex;
    this.exported =
        Counter.builder("shardhook.history.exported.jobs")
            .description("Finished jobs this node wrote to the history database")
            .register(registry);
    this.failures =
        Counter.builder("shardhook.history.export.failures")
            .description("History export rounds that failed (logged; the next round tries again)")
            .register(registry);
    Gauge.builder("shardhook.history.lag.entries", this, e -> e.lagEntries)
        .description(
            "Log entries between the oldest job not yet exported and the applied index (0: none)")
        .register(registry);
    Gauge.builder("shardhook.history.lag.seconds", this, e -> e.lagSeconds)
        .description("Age of the oldest finished job not yet exported (0: none)")
        .register(registry);
  }

  /** Exports while {@code running} holds (a leader's term; always, for an embedded database). */
  synchronized void start(BooleanSupplier running) {
    stop();
    if (timer.isShutdown()) {
      return;
    }
    long ms = IDLE.toMillis();
    rounds =
        timer.scheduleWithFixedDelay(
            () -> {
              if (running.getAsBoolean()) {
                round(running);
              }
            },
            0,
            ms,
            TimeUnit.MILLISECONDS);
  }

  /**
   * Stops exporting; a round under way ends after its current page. The lag reads 0 from here on:
   * it is the exporting node's to report (a shared database's leader).
   */
  synchronized void stop() {
    if (rounds != null) {
      rounds.cancel(false);
      rounds = null;
    }
    lagEntries = 0;
    lagSeconds = 0;
  }

  void round(BooleanSupplier running) {
    if (clock.millis() < retryAtMs) {
      return;
    }
    try {
      if (!migrated) {
        database.migrate();
        migrated = true;
      }
      long cursor = rows.cursor();
      for (int i = 0; i < MAX_PAGES_PER_ROUND && running.getAsBoolean(); i++) {
        List<JobStore.Exportable> page = store.exportQueue(cursor, PAGE);
        measureLag(page);
        if (page.isEmpty()) {
          break;
        }
        long through = page.getLast().index();
        exported.increment(rows.export(exportable(page), through, clock.millis()));
        cursor = through;
        // A full page may run past PAGE to finish its last log index; fewer means the end.
        if (page.size() < PAGE) {
          break;
        }
      }
      progress.exportedThrough(cursor);
      expireIfDue();
      if (failuresInARow > 0) {
        LOG.info("history export resumed after {} failed rounds", failuresInARow);
        failuresInARow = 0;
      }
    } catch (SQLException | RuntimeException e) {
      failures.increment();
      failuresInARow++;
      long now = clock.millis();
      long pause = IDLE.toMillis() << Math.min(failuresInARow, 10);
      retryAtMs = now + Math.min(pause, MAX_BACKOFF.toMillis());
      if (now - loggedAtMs >= LOG_EVERY.toMillis()) {
        loggedAtMs = now;
        LOG.warn(
            "history export failed ({} rounds in a row); it goes on trying: {}",
            failuresInARow,
            e.toString());
      }
    }
  }

  /** The page's jobs still final as queued: one replayed since left the queue, or comes later. */
  private List<HistoryRows.Exported> exportable(List<JobStore.Exportable> page) {
    List<HistoryRows.Exported> out = new ArrayList<>(page.size());
    for (JobStore.Exportable e : page) {
      Optional<JobRecord> job = store.job(e.id()).map(StoredJob::job);
      if (job.isPresent()
          && job.get().state().isTerminal()
          && store.finishIndex(e.id()).orElse(-1L) == e.index()) {
        out.add(new HistoryRows.Exported(e.index(), job.get()));
      }
    }
    return out;
  }

  private void measureLag(List<JobStore.Exportable> page) {
    if (page.isEmpty()) {
      lagEntries = 0;
      lagSeconds = 0;
      return;
    }
    JobStore.Exportable oldest = page.getFirst();
    lagEntries = Math.max(0, appliedIndex.getAsLong() - oldest.index() + 1);
    lagSeconds =
        store
            .job(oldest.id())
            .map(s -> s.job().finishedAt())
            .map(at -> Math.max(0, clock.millis() - at.toEpochMilli()) / 1000.0)
            .orElse(0.0);
  }

  private void expireIfDue() throws SQLException {
    long now = clock.millis();
    if (now < retentionDueAtMs) {
      return;
    }
    long before = now - retention.toMillis();
    int deleted;
    do {
      deleted = rows.deleteFinishedBefore(before, RETENTION_BATCH);
    } while (deleted == RETENTION_BATCH);
    Duration tenth = retention.dividedBy(10);
    retentionDueAtMs = now + Math.min(tenth.toMillis(), MAX_RETENTION_INTERVAL.toMillis());
  }

  @Override
  public synchronized void close() {
    stop();
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
