package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * accept, deliver, failover and headofline for a few seconds each with tiny numbers, against one
 * real sandbox (three node JVMs and a proxy) started once for the class ({@code --sandbox DIR}),
 * with the real baselines. Failover runs late: it kills a node and restarts it, then freezes one
 * and resumes it. Only shapes and correctness are checked (lost = 0), never timings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScenarioSmokeTest {
  private static final String WORKERS = "8";
  private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
  private Sandbox sandbox;

  @TempDir Path results;

  @BeforeAll
  void startSandbox() throws Exception {
    assumeTrue(TestSandbox.unavailable().isEmpty(), TestSandbox.unavailable().orElse(""));
    sandbox =
        Sandbox.start(
            TestSandbox.launcher(),
            new Sandbox.Spec(1, Integer.valueOf(WORKERS), null),
            false,
            new Console(quiet, System.err, Progress.Style.NONE));
  }

  @AfterAll
  void stopSandbox() throws Exception {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  @Timeout(120)
  void acceptAgainstEtcd() throws Exception {
    assumeTrue(
        Prerequisites.etcdIfInstalled().isPresent(),
        "accept scenario against the etcd baseline skipped: etcd is not installed (apt-get install etcd-server)");

    PerfRun run =
        run(
            "accept",
            "--concurrency",
            "4",
            "--payload",
            "64",
            "--warmup",
            "1s",
            "--duration",
            "2s",
            "--baseline",
            "etcd");

    assertThat(run.exitStatus()).as(run.toString()).isZero();
    JsonNode result = run.result();
    assertThat(result.get("scenario").asText()).isEqualTo("accept");
    assertThat(result.get("shardhook").get("opsPerSec").asDouble()).isPositive();
    assertThat(result.get("shardhook").has("p99Ms")).isTrue();
    assertThat(result.get("baseline").get("name").asText()).isEqualTo("etcd");
    assertThat(result.get("baseline").get("opsPerSec").asDouble()).isPositive();
    assertThat(result.get("ratio").isNumber()).isTrue();
    assertThat(run.resultFiles())
        .contains("result.json", "report.md", "accept-throughput.png", "accept-latency.png");
  }

  @Test
  @Order(2)
  @Timeout(120)
  void deliverAgainstDbScheduler() throws Exception {
    assumeTrue(
        Prerequisites.postgresBinIfInstalled().isPresent(),
        "deliver scenario against the db-scheduler baseline skipped: PostgreSQL is not installed (apt-get install postgresql)");

    PerfRun run =
        run(
            "deliver",
            "--workers",
            WORKERS,
            "--latency-ms",
            "10",
            "--jobs",
            "200",
            "--warmup-jobs",
            "20",
            "--baseline",
            "db-scheduler",
            "--settle",
            "500ms");

    assertThat(run.exitStatus()).as(run.toString()).isZero();
    JsonNode result = run.result();
    JsonNode shardhook = result.get("shardhook");
    assertThat(shardhook.get("deliveriesPerSec").asDouble()).isPositive();
    assertThat(shardhook.get("bound").asDouble()).isEqualTo(800.0);
    assertThat(shardhook.get("efficiency").isNumber()).isTrue();
    assertThat(shardhook.get("lost").asLong()).isZero();
    assertThat(shardhook.get("delivered").asLong()).isEqualTo(200);
    assertThat(shardhook.has("duplicates")).isTrue();
    assertThat(result.get("baseline").get("name").asText()).isEqualTo("db-scheduler");
    assertThat(result.get("baseline").get("lost").asLong()).isZero();
    assertThat(result.get("ratio").isNumber()).isTrue();
    assertThat(run.resultFiles())
        .contains("result.json", "report.md", "deliver-throughput.png", "deliver-progress.png");
  }

  @Test
  @Order(3)
  @Timeout(180)
  void failoverKillsTheLeaderOnceAndRestartsIt() throws Exception {
    PerfRun run =
        run(
            "failover",
            "--kills",
            "1",
            "--rate",
            "30",
            "--workers",
            WORKERS,
            "--warmup",
            "1s",
            "--interval",
            "0s",
            "--settle",
            "500ms");

    JsonNode result = run.result();
    assertThat(result.get("scenario").asText()).as(run.toString()).isEqualTo("failover");
    assertThat(result.get("kills").asInt()).isEqualTo(1);
    assertThat(result.get("lost").asLong()).as(run.toString()).isZero();
    assertThat(result.get("accepted").asLong()).isPositive();
    assertThat(result.has("resumeSecondsP50")).isTrue();
    assertThat(result.has("resumeSecondsMax")).isTrue();
    assertThat(result.has("duplicates")).isTrue();
    assertThat(result.get("freezeMs").asLong()).isZero();
    assertThat(result.get("inFlightAtKill").asLong()).isNotNegative();
    assertThat(result.has("duplicatesPerInFlight")).isTrue();
    assertThat(result.get("killed").get(0).get("node").asText()).startsWith("shard-0-");
    assertThat(run.resultFiles())
        .contains("result.json", "report.md", "failover-timeline.png", "failover-resume.png");
    // The killed node runs again.
    assertThat(sandbox.topology().shards().getFirst().nodes())
        .allSatisfy(
            node ->
                assertThat(ProcessHandle.of(node.pid()).filter(ProcessHandle::isAlive))
                    .isPresent());
  }

  @Test
  @Order(4)
  @Timeout(120)
  void failoverFreezesTheLeaderOnceAndResumesIt() throws Exception {
    PerfRun run =
        run(
            "failover",
            "--kills",
            "1",
            "--freeze-ms",
            "1000",
            "--rate",
            "30",
            "--workers",
            WORKERS,
            "--warmup",
            "1s",
            "--interval",
            "0s",
            "--settle",
            "500ms");

    JsonNode result = run.result();
    assertThat(result.get("freezeMs").asLong()).as(run.toString()).isEqualTo(1000);
    assertThat(result.get("lost").asLong()).as(run.toString()).isZero();
    assertThat(result.get("inFlightAtKill").asLong()).isNotNegative();
    assertThat(result.get("killed").get(0).get("newLeader").asText()).startsWith("shard-0-");
    // The frozen node was resumed, not restarted: it runs and is not stopped.
    assertThat(sandbox.topology().shards().getFirst().nodes())
        .allSatisfy(
            node -> {
              assertThat(ProcessHandle.of(node.pid()).filter(ProcessHandle::isAlive)).isPresent();
              assertThat(LocalProcesses.isStopped(node.pid())).isFalse();
            });
  }

  @Test
  @Order(5)
  @Timeout(120)
  void headOfLineDeliversTheHealthyTrickle() throws Exception {
    // Last: the dead receiver's jobs stay in the sandbox, retrying, until it stops.
    PerfRun run = run("headofline", "--dead-jobs", "100", "--healthy-jobs", "10", "--rate", "50");

    JsonNode result = run.result();
    assertThat(result.get("scenario").asText()).as(run.toString()).isEqualTo("headofline");
    assertThat(result.get("delivered").asInt()).as(run.toString()).isEqualTo(10);
    assertThat(result.get("p95Ms").isNumber()).isTrue();
    assertThat(run.resultFiles()).contains("result.json", "report.md");
  }

  private PerfRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--sandbox",
            sandbox.dir().toString(),
            "--results",
            results.toString(),
            "--progress",
            "none"));
    return PerfRun.of(all.toArray(String[]::new));
  }
}
