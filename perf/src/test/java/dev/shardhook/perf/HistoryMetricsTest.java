package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryMetricsTest {
  private static final String TEXT =
      """
      # HELP shardhook_history_exported_jobs_total Finished jobs this node wrote
      # TYPE shardhook_history_exported_jobs_total counter
      shardhook_history_exported_jobs_total 1500.0
      shardhook_history_exported_jobs_totalish 7.0
      shardhook_history_lag_seconds{shard="shard-0"} 2.5
      shardhook_history_lag_seconds{shard="shard-1"} 0.5
      shardhook_history_lag_entries 12.0
      """;

  @Test
  void readsASampleWithOrWithoutLabelsAndNotAMetricWhoseNameStartsTheSame() {
    assertThat(HistoryMetrics.value(TEXT, HistoryMetrics.EXPORTED)).isEqualTo(1500.0);
    assertThat(HistoryMetrics.value(TEXT, HistoryMetrics.LAG_SECONDS)).isEqualTo(3.0);
    assertThat(HistoryMetrics.value(TEXT, HistoryMetrics.LAG_ENTRIES)).isEqualTo(12.0);
    assertThat(HistoryMetrics.value(TEXT, "shardhook_other")).isNaN();
  }
}
