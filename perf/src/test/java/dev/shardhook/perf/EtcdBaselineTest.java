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

/** The etcd baseline on its own: three real members from Debian's etcd-server package. */
class EtcdBaselineTest {
  private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
  private final Console console = new Console(quiet, quiet, Progress.Style.NONE);

  @Test
  @Timeout(120)
  void threeMembersTakePutsAndAreStoppedByPid() throws Exception {
    Optional<Path> etcd = Prerequisites.etcdIfInstalled();
    assumeTrue(
        etcd.isPresent(),
        "etcd baseline test skipped: etcd is not installed (apt-get install etcd-server)");

    EtcdCluster cluster = EtcdCluster.start(etcd.get(), 3, false, console);
    List<Long> pids = cluster.pids();
    AcceptFigures figures;
    try (cluster;
        EtcdPuts puts = new EtcdPuts(cluster.clientUrls(), JobBodies.payload(100))) {
      puts.run(); // connects; the measured loop then only puts
      figures =
          new ClosedLoop("etcd", 4, Duration.ZERO, Duration.ofSeconds(1), console)
              .run("etcd", puts);
    }

    assertThat(pids).hasSize(3);
    assertThat(figures.ok()).isPositive();
    assertThat(figures.errors()).isZero();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).filter(p -> !LocalProcesses.hasEnded(p)))
          .as("pid " + pid)
          .isEmpty();
    }
  }

  @Test
  void saysWhichPackageIsMissing() {
    assumeTrue(Prerequisites.etcdIfInstalled().isEmpty(), "etcd is installed here");
    org.assertj.core.api.Assertions.assertThatThrownBy(Prerequisites::etcd)
        .isInstanceOf(MissingPrerequisiteException.class)
        .hasMessageContaining("apt-get install etcd-server");
  }
}
