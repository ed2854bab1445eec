package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * scale with tiny numbers, starting (and stopping) its own one-shard sandbox the way {@code
 * perf/run} does. One shard count only, to keep the module's tests short; the efficiency arithmetic
 * over several counts is covered by {@link ResultShapeTest}.
 */
class ScaleSmokeTest {
  @TempDir Path results;

  @Test
  @Timeout(180)
  void scaleStartsItsSandboxMeasuresAndStopsIt() throws Exception {
    assumeTrue(TestSandbox.unavailable().isEmpty(), TestSandbox.unavailable().orElse(""));

    PerfRun run =
        PerfRun.of(
            "scale",
            "--shards",
            "1",
            "--concurrency",
            "4",
            "--warmup",
            "500ms",
            "--duration",
            "1s",
            "--workers",
            "8",
            "--latency-ms",
            "10",
            "--jobs",
            "100",
            "--repo",
            TestSandbox.repo().toString(),
            "--node-jar",
            TestSandbox.nodeJar(),
            "--proxy-jar",
            TestSandbox.proxyJar(),
            "--results",
            results.toString(),
            "--progress",
            "none",
            "--jit-warmup",
            "0s");

    assertThat(run.exitStatus()).as(run.toString()).isZero();
    JsonNode result = run.result();
    JsonNode one = result.get("runs").get(0);
    assertThat(one.get("shards").asInt()).isEqualTo(1);
    assertThat(one.get("accept").get("opsPerSec").asDouble()).isPositive();
    assertThat(one.get("deliver").get("deliveriesPerSec").asDouble()).isPositive();
    assertThat(one.get("deliver").get("lost").asLong()).isZero();
    assertThat(one.get("acceptEfficiency").asDouble()).isEqualTo(1.0);
    assertThat(result.has("meaningful")).isTrue();
    assertThat(run.resultFiles())
        .contains("result.json", "report.md", "scale-throughput.png", "scale-efficiency.png");
    assertThat(run.stderr()).contains("starting a sandbox").doesNotContain("JIT warm-up");
  }
}
