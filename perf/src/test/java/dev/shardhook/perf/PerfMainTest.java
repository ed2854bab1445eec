package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class PerfMainTest {
  @Test
  void acceptTakesShortDurationsAndDefaults() {
    ParseResult parsed =
        PerfMain.newCommandLine()
            .parseArgs("accept", "--entry", "http://127.0.0.1:8080", "--duration", "3s");

    AcceptCommand accept = (AcceptCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(accept.entry).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(accept.duration).isEqualTo(Duration.ofSeconds(3));
    assertThat(accept.warmup).isEqualTo(Duration.ofSeconds(5));
    assertThat(accept.concurrency).isEqualTo(64);
    assertThat(accept.payloadBytes).isEqualTo(512);
  }

  @Test
  void deliverDefaults() {
    ParseResult parsed =
        PerfMain.newCommandLine().parseArgs("deliver", "--entry", "http://127.0.0.1:8080");

    DeliverCommand deliver = (DeliverCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(deliver.jobs).isEqualTo(20000);
    assertThat(deliver.latencyMs).isEqualTo(100);
    assertThat(deliver.sinkPort).isZero();
    assertThat(deliver.workers).isNull();
    assertThat(deliver.batchSize).isEqualTo(500);
  }

  @Test
  void missingEntryIsAUsageError() {
    CommandLine cli = PerfMain.newCommandLine();
    cli.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));

    assertThat(cli.execute("accept")).isEqualTo(2);
  }
}
