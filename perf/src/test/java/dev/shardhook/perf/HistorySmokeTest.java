package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * history with tiny numbers: its own PostgreSQL and one-shard sandbox, the three phases, the rows
 * counted in PostgreSQL, everything stopped again. No figure is asserted beyond being there.
 */
class HistorySmokeTest {
  @TempDir Path results;

  @Test
  @Timeout(240)
  void exportsEveryJobOnceIntoItsOwnPostgres() throws Exception {
    assumeTrue(TestSandbox.unavailable().isEmpty(), TestSandbox.unavailable().orElse(""));
    assumeTrue(Prerequisites.postgresBinIfInstalled().isPresent(), "PostgreSQL is not installed");

    PerfRun run =
        PerfRun.of(
            "history",
            "--jobs",
            "300",
            "--warmup-jobs",
            "50",
            "--drain-jobs",
            "200",
            "--workers",
            "8",
            "--repo",
            TestSandbox.repo().toString(),
            "--node-jar",
            TestSandbox.nodeJar(),
            "--proxy-jar",
            TestSandbox.proxyJar(),
            "--results",
            results.toString(),
            "--progress",
            "none");

    assertThat(run.exitStatus()).as(run.toString()).isZero();
    JsonNode result = run.result();
    assertThat(result.get("scenario").asText()).isEqualTo("history");
    assertThat(result.get("accepted").asLong()).isEqualTo(300);
    assertThat(result.get("rowsInPostgres").asLong()).isEqualTo(300);
    assertThat(result.get("missing").asLong()).isZero();
    assertThat(result.get("duplicates").asLong()).isZero();
    assertThat(result.get("attemptRows").asLong()).isEqualTo(300);
    assertThat(result.get("exportRowsPerSec").asDouble()).isPositive();
    JsonNode drain = result.get("drain");
    assertThat(drain.get("rowsInPostgres").asLong()).isEqualTo(200);
    assertThat(drain.get("missing").asLong()).isZero();
    // 200 rows may well be written between two samples: no rows/s then, and no failure.
    assertThat(drain.has("rowsPerSec")).isTrue();
    assertThat(run.resultFiles())
        .contains(
            "result.json",
            "report.md",
            "history-progress.png",
            "history-lag.png",
            "history-drain.png");
    assertThat(run.stderr()).contains("the nodes export to jdbc:postgresql://");
  }

  @Test
  void refusesARunningEntryOrSandbox() {
    PerfRun run =
        PerfRun.of(
            "history",
            "--entry",
            "http://127.0.0.1:1",
            "--results",
            results.toString(),
            "--progress",
            "none");

    assertThat(run.exitStatus()).isEqualTo(2);
    assertThat(run.stdout()).isEmpty();
    assertThat(run.stderr()).contains("starts its own sandbox");
  }
}
