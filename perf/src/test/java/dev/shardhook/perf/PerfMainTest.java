package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class PerfMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final ScenarioRunner.Streams streams =
      new ScenarioRunner.Streams(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));

  @Test
  void acceptTakesShortDurationsAndDefaults() {
    ParseResult parsed =
        PerfMain.newCommandLine(streams)
            .parseArgs("accept", "--entry", "http://127.0.0.1:8080", "--duration", "3s");

    AcceptCommand accept = (AcceptCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(accept.run.entry).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(accept.duration).isEqualTo(Duration.ofSeconds(3));
    assertThat(accept.warmup).isEqualTo(Duration.ofSeconds(30));
    assertThat(accept.concurrency).isEqualTo(64);
    assertThat(accept.payloadBytes).isEqualTo(512);
    assertThat(accept.shards).isEqualTo(1);
    assertThat(accept.baseline).isEqualTo(AcceptCommand.Baseline.NONE);
    assertThat(accept.run.progress).isEqualTo(Progress.Style.LINES);
  }

  @Test
  void acceptBaselineIsCaseInsensitive() {
    ParseResult parsed = PerfMain.newCommandLine(streams).parseArgs("accept", "--baseline", "etcd");

    AcceptCommand accept = (AcceptCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(accept.baseline).isEqualTo(AcceptCommand.Baseline.ETCD);
  }

  @Test
  void deliverDefaultsAndTheDbSchedulerBaseline() {
    ParseResult parsed =
        PerfMain.newCommandLine(streams)
            .parseArgs("deliver", "--baseline", "db-scheduler", "--sandbox", "/tmp/x");

    DeliverCommand deliver = (DeliverCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(deliver.jobs).isEqualTo(20000);
    assertThat(deliver.latencyMs).isEqualTo(100);
    assertThat(deliver.workers).isEqualTo(64);
    assertThat(deliver.sinkHosts).isZero();
    assertThat(deliver.autoSinkHosts()).isEqualTo(1);
    assertThat(deliver.batchSize).isEqualTo(500);
    assertThat(deliver.baseline).isEqualTo(DeliverCommand.Baseline.DB_SCHEDULER);
    assertThat(deliver.run.sandboxDir).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void autoSinkHostsKeepThePerHostLimitOutOfTheWay() {
    ParseResult parsed = PerfMain.newCommandLine(streams).parseArgs("deliver", "--workers", "200");

    DeliverCommand deliver = (DeliverCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(deliver.autoSinkHosts()).isEqualTo(4); // 4 × 64 >= 200
  }

  @Test
  void scaleTakesAListOfShardCounts() {
    ParseResult parsed = PerfMain.newCommandLine(streams).parseArgs("scale", "--shards", "1,2,4");

    ScaleCommand scale = (ScaleCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(scale.shardCounts).containsExactly(1, 2, 4);
  }

  @Test
  void failoverDefaults() {
    ParseResult parsed = PerfMain.newCommandLine(streams).parseArgs("failover", "--kills", "2");

    FailoverCommand failover = (FailoverCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(failover.kills).isEqualTo(2);
    assertThat(failover.shards).isEqualTo(1);
    assertThat(failover.rate).isEqualTo(100.0);
    assertThat(failover.freezeMs).isZero(); // kill -9 unless asked to freeze
  }

  @Test
  void failoverFreezes() {
    ParseResult parsed =
        PerfMain.newCommandLine(streams)
            .parseArgs("failover", "--kills", "2", "--freeze-ms", "3000");

    FailoverCommand failover = (FailoverCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(failover.freezeMs).isEqualTo(3000);
    assertThat(PerfMain.newCommandLine(streams).execute("failover", "--freeze-ms", "-1"))
        .isEqualTo(2);
  }

  @Test
  void usageErrorsExitWith2AndNeverWriteToStdout() {
    assertThat(PerfMain.newCommandLine(streams).execute("nonsense")).isEqualTo(2);
    assertThat(PerfMain.newCommandLine(streams).execute("deliver", "--baseline", "redis"))
        .isEqualTo(2);
    assertThat(
            PerfMain.newCommandLine(streams)
                .execute("failover", "--entry", "http://127.0.0.1:1", "--results", "/tmp/none"))
        .isEqualTo(2);
    assertThat(PerfMain.newCommandLine(streams).execute("scale", "--help")).isZero();

    assertThat(out.size()).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs a sandbox");
  }

  @Test
  void scaleNeedsEnoughCoresToMeanSomething() {
    assertThat(ScaleCommand.enoughCores(2, 1)).isFalse();
    assertThat(ScaleCommand.enoughCores(5, 1)).isTrue();
    assertThat(ScaleCommand.enoughCores(11, 3)).isTrue();
    assertThat(ScaleCommand.enoughCores(8, 3)).isFalse();
  }

  @Test
  void listsTheScenarios() {
    assertThat(PerfMain.newCommandLine(streams).getSubcommands().keySet())
        .containsExactlyInAnyOrderElementsOf(
            List.of(
                "accept",
                "adaptive",
                "backlog",
                "deliver",
                "failover",
                "fifo",
                "headofline",
                "history",
                "latency",
                "list",
                "scale",
                "soak"));
  }

  @Test
  void aSandboxTheRunStartsIsWarmedForAMinuteUnlessToldOtherwise() {
    AcceptCommand fresh =
        (AcceptCommand)
            PerfMain.newCommandLine(streams)
                .parseArgs("accept")
                .subcommand()
                .commandSpec()
                .userObject();
    assertThat(fresh.jitWarmup.seconds(fresh.run)).isEqualTo(60);

    LatencyCommand off =
        (LatencyCommand)
            PerfMain.newCommandLine(streams)
                .parseArgs("latency", "--jit-warmup", "0s")
                .subcommand()
                .commandSpec()
                .userObject();
    assertThat(off.jitWarmup.seconds(off.run)).isZero();

    DeliverCommand given =
        (DeliverCommand)
            PerfMain.newCommandLine(streams)
                .parseArgs("deliver", "--sandbox", "/tmp/x", "--jit-warmup", "90s")
                .subcommand()
                .commandSpec()
                .userObject();
    assertThat(given.jitWarmup.seconds(given.run))
        .as("a running sandbox is taken as it is")
        .isZero();
  }
}
