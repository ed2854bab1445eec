package dev.shardhook.node.history;

import dev.shardhook.node.job.JobService;
import dev.shardhook.node.store.JobStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's job history (README, "Job history"): the database, its exporter and the reads that fall
 * back to it. With an embedded database every node exports all the time (each holds the whole
 * shard); with a shared one only the shard's leader does, from its term's start to its end.
 */
public final class History implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(History.class);

  private final HistoryConfig config;
  private final HistoryDatabase database;
  private final HistoryRows rows;
  private final HistoryExporter exporter;
  private final JobStore store;
  private final ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor();

  private History(
      HistoryConfig config,
      Path dataDir,
      String shardId,
      JobStore store,
      ExportProgress progress,
      Clock clock,
      LongSupplier appliedIndex,
      MeterRegistry registry) {
    this.config = config;
    this.store = store;
    this.database = HistoryDatabase.open(config, dataDir);
    this.rows = new HistoryRows(database.dataSource(), shardId);
    this.exporter =
        new HistoryExporter(
            store, database, rows, progress, config.retention(), clock, appliedIndex, registry);
  }

  /**
   * Opens the history {@code config} asks for and, for an embedded database, starts exporting.
   *
   * @param progress where the exporter reports its position (the leader proposes it)
   * @param appliedIndex the node's last applied log index, for the lag metric
   */
  public static History open(
      HistoryConfig config,
      Path dataDir,
      String shardId,
      JobStore store,
      ExportProgress progress,
      Clock clock,
      LongSupplier appliedIndex,
      MeterRegistry registry) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("history is off");
    }
    History history =
        new History(config, dataDir, shardId, store, progress, clock, appliedIndex, registry);
    if (config.mode() == HistoryConfig.Mode.EMBEDDED) {
      history.exporter.start(() -> true);
    }
    LOG.info("job history: {}", config);
    return history;
  }

  /** {@code live} with reads that fall back to the history. */
  public JobService over(JobService live) {
    return new HistoryJobs(live, rows, id -> store.job(id).isPresent(), reads);
  }

  /** This node leads: with a shared database, it exports while {@code leads} holds. */
  public void leaderReady(BooleanSupplier leads) {
    if (config.mode() == HistoryConfig.Mode.SHARED) {
      exporter.start(leads);
    }
  }

  public void leadershipLost() {
    if (config.mode() == HistoryConfig.Mode.SHARED) {
      exporter.stop();
    }
  }

  /** The JDBC URL of the embedded history of a node whose data dir is {@code dataDir}. */
  public static String embeddedJdbcUrl(Path dataDir) {
    return HistoryDatabase.embeddedUrl(dataDir);
  }

  /** Stops exporting (tests: a stopped exporter holds the purge back). */
  public void pauseExport() {
    exporter.stop();
  }

  /** Exports again after {@link #pauseExport}, as this node would on its own. */
  public void resumeExport(BooleanSupplier leads) {
    exporter.start(config.mode() == HistoryConfig.Mode.EMBEDDED ? () -> true : leads);
  }

  @Override
  public void close() {
    exporter.close();
    reads.close();
    database.close();
  }
}
