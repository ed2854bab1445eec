package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The db-scheduler baseline on its own: a real PostgreSQL started and stopped by the harness. */
class DbSchedulerBaselineTest {
  private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
  private final Console console = new Console(quiet, quiet, Progress.Style.NONE);

  @Test
  @Timeout(120)
  void deliversEveryWebhookOnceAndStopsPostgresByPid() throws Exception {
    Optional<Path> bin = Prerequisites.postgresBinIfInstalled();
    assumeTrue(
        bin.isPresent(),
        "db-scheduler baseline test skipped: PostgreSQL is not installed (apt-get install postgresql)");

    PostgresServer db =
        PostgresServer.start(bin.get(), DbSchedulerDeliveries.maxConnections(4), false, console);
    long postmaster = db.postmasterPid().orElseThrow();
    DeliverFigures figures;
    try (db;
        DbSchedulerDeliveries scheduler = DbSchedulerDeliveries.start(db.jdbcUrl(), 4);
        WebhookSink sink = WebhookSink.start(List.of("127.0.0.1"), 0, Duration.ofMillis(2))) {
      figures =
          new DeliveryRun(Duration.ofSeconds(60), Duration.ofMillis(300), console)
              .measure(
                  "db-scheduler", sink, WebhookJob.spread("d", 100, sink.urls(), "b"), scheduler);
    }

    assertThat(figures.accounting()).isEqualTo(new DeliveryAccounting(100, 100, 0, 0, 0));
    assertThat(figures.deliveriesPerSec()).isPositive();
    assertThat(ProcessHandle.of(postmaster).filter(p -> !LocalProcesses.hasEnded(p))).isEmpty();
  }

  @Test
  void poolAndServerConnectionsFollowTheThreads() {
    assertThat(DbSchedulerDeliveries.poolSize(8)).isEqualTo(12);
    assertThat(DbSchedulerDeliveries.poolSize(500)).isEqualTo(68);
    assertThat(DbSchedulerDeliveries.maxConnections(500))
        .isGreaterThan(DbSchedulerDeliveries.poolSize(500));
  }
}
