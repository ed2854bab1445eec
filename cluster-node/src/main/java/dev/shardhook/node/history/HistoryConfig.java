package dev.shardhook.node.history;

import java.time.Duration;
import java.util.Objects;

/**
 * Where finished jobs are exported (README, "Job history").
 *
 * @param mode off, an embedded file database under the data dir, or a shared database by JDBC URL
 * @param jdbcUrl the shared database (mode {@code SHARED}), else null
 * @param user its user, or null
 * @param password its password, or null (never logged: see {@link #toString})
 * @param retention how long history rows are kept after their job finished
 */
public record HistoryConfig(
    Mode mode, String jdbcUrl, String user, String password, Duration retention) {
  public enum Mode {
    OFF,
    EMBEDDED,
    SHARED
  }

  public HistoryConfig {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(retention, "retention");
    if (mode == Mode.SHARED && (jdbcUrl == null || jdbcUrl.isBlank())) {
      throw new IllegalArgumentException("a shared history needs a JDBC URL");
    }
  }

  public static HistoryConfig off() {
    return new HistoryConfig(Mode.OFF, null, null, null, Duration.ofDays(90));
  }

  public boolean enabled() {
    return mode != Mode.OFF;
  }

  @Override
  public String toString() {
    return "HistoryConfig[mode="
        + mode
        + ", jdbcUrl="
        + jdbcUrl
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "***")
        + ", retention="
        + retention
        + "]";
  }
}
