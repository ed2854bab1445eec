package dev.shardhook.node.history;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The history database: a HikariCP pool over the embedded H2 file database under the node's data
 * dir, or over the shared database the JDBC URL names, migrated by Flyway ({@code db/history}) when
 * opened.
 */
final class HistoryDatabase implements AutoCloseable {
  // A few connections: one exporter, and reads of jobs the store no longer holds.
  private static final int POOL_SIZE = 4;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final HikariDataSource pool;

  private HistoryDatabase(HikariDataSource pool) {
    this.pool = pool;
  }

  /** The JDBC URL of the embedded database of a node whose data dir is {@code dataDir}. */
  static String embeddedUrl(Path dataDir) {
    // PostgreSQL mode, so one migration serves both; lower-case names as PostgreSQL folds them.
    return "jdbc:h2:file:"
        + dataDir.resolve("history").resolve("history").toAbsolutePath()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  }

  /**
   * Opens the pool and brings the schema up to date. A shared database that cannot be reached does
   * not stop the node: the pool connects on first use, the exporter retries, and the migration runs
   * once the exporter first succeeds ({@link #migrate}).
   */
  static HistoryDatabase open(HistoryConfig config, Path dataDir) {
    HikariConfig hikari = new HikariConfig();
    boolean embedded = config.mode() == HistoryConfig.Mode.EMBEDDED;
    hikari.setJdbcUrl(embedded ? embeddedUrl(dataDir) : config.jdbcUrl());
    if (!embedded) {
      hikari.setUsername(config.user());
      hikari.setPassword(config.password());
    }
    hikari.setPoolName("history");
    hikari.setMaximumPoolSize(POOL_SIZE);
    hikari.setMinimumIdle(embedded ? 1 : 0);
    hikari.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
    // Fail later, not at start: a database down at start-up only delays the export.
    hikari.setInitializationFailTimeout(-1);
    return new HistoryDatabase(new HikariDataSource(hikari));
  }

  DataSource dataSource() {
    return pool;
  }

  /** Applies pending Flyway migrations (idempotent; concurrent nodes take Flyway's lock). */
  void migrate() {
    boolean postgres = pool.getJdbcUrl().startsWith("jdbc:postgresql:");
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/history")
        .table("history_schema_history")
        .placeholders(Map.of("textOrder", postgres ? "COLLATE \"C\"" : ""))
        .load()
        .migrate();
  }

  @Override
  public void close() {
    pool.close();
  }
}
