package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandbox against a fake sandbox script that logs its arguments and writes sandbox.json. */
class SandboxTest {
  private static final String FAKE_SCRIPT =
      """
      #!/usr/bin/env bash
      set -eu
      echo "$*" >> "$FAKE_LOG"
      cmd=$1; shift
      data=""; port=8080
      while [ $# -gt 0 ]; do
        case "$1" in
          --data) data=$2; shift 2 ;;
          --port) port=$2; shift 2 ;;
          *) shift ;;
        esac
      done
      case "$cmd" in
        up)
          if [ -f "$FAKE_BUSY_ONCE" ]; then rm "$FAKE_BUSY_ONCE"; exit 3; fi
          [ -f "$data/sandbox.json" ] || cat > "$data/sandbox.json" <<JSON
      {"entry": "http://127.0.0.1:$port", "proxies": [],
       "shards": [{"id": "shard-0", "nodes": [
         {"id": "shard-0-a", "url": "http://127.0.0.1:1", "pid": $FAKE_PID_A},
         {"id": "shard-0-b", "url": "http://127.0.0.1:2", "pid": $FAKE_PID_B}]}]}
      JSON
          echo "http://127.0.0.1:$port" ;;
        down) echo "sandbox: stopped" >&2 ;;
      esac
      """;

  private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
  private final Console console = new Console(quiet, quiet, Progress.Style.NONE);

  @TempDir Path tmp;
  private Process nodeA;
  private Process notNodeB;

  @AfterEach
  void stopFakes() {
    for (Process p : new Process[] {nodeA, notNodeB}) {
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  @Test
  void startsOnAnotherPortWhenBusyKillsByPidRestartsAndStops() throws Exception {
    // "shard-0-a" is among this process's arguments; the other one is not node b.
    nodeA = new ProcessBuilder("bash", "-c", "sleep 30; true", "fake", "shard-0-a").start();
    notNodeB = new ProcessBuilder("sleep", "30").start();
    Path log = tmp.resolve("calls.log");
    Path busyOnce = Files.createFile(tmp.resolve("busy-once"));
    SandboxLauncher launcher = fakeLauncher(log, busyOnce);

    Sandbox sandbox = Sandbox.start(launcher, new Sandbox.Spec(2, 8, null), false, console);
    Path dir = sandbox.dir();
    try {
      List<String> ups = Files.readAllLines(log);
      assertThat(ups).hasSize(2); // the first found its port busy (exit 3)
      assertThat(ups.get(1))
          .startsWith("up --data " + dir)
          .contains("--shards 2 --proxies 1 --port")
          .endsWith("--workers 8");
      assertThat(sandbox.topology().entries()).hasSize(3);

      Sandbox.Kill kill = sandbox.kill("shard-0-a");
      assertThat(kill.pid()).isEqualTo(nodeA.pid());
      assertThat(kill.deadNanos()).isGreaterThanOrEqualTo(kill.signalNanos());
      assertThat(LocalProcesses.hasEnded(nodeA.toHandle())).isTrue();

      assertThatThrownBy(() -> sandbox.kill("shard-0-b"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not killing it");
      assertThat(notNodeB.isAlive()).isTrue();

      sandbox.startStopped();
      assertThat(Files.readAllLines(log).getLast()).isEqualTo("up --data " + dir + " --workers 8");
    } finally {
      sandbox.close();
    }
    assertThat(Files.readAllLines(log).getLast()).isEqualTo("down --data " + dir);
    assertThat(dir).doesNotExist();
  }

  @Test
  void freezesAndThawsByPidOnlyTheNodeItNames() throws Exception {
    nodeA = new ProcessBuilder("bash", "-c", "sleep 30; true", "fake", "shard-0-a").start();
    notNodeB = new ProcessBuilder("sleep", "30").start();
    Path log = tmp.resolve("calls.log");

    try (Sandbox sandbox =
        Sandbox.start(
            fakeLauncher(log, tmp.resolve("none")),
            new Sandbox.Spec(1, null, null),
            false,
            console)) {
      Sandbox.Kill frozen = sandbox.freeze("shard-0-a");
      assertThat(frozen.pid()).isEqualTo(nodeA.pid());
      assertThat(LocalProcesses.isStopped(nodeA.pid())).isTrue();
      assertThat(nodeA.isAlive()).isTrue();

      sandbox.thaw(frozen);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (LocalProcesses.isStopped(nodeA.pid()) && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // SIGCONT takes effect as kill returns; this only allows for slack
      }
      assertThat(LocalProcesses.isStopped(nodeA.pid())).isFalse();
      assertThat(nodeA.isAlive()).isTrue();

      assertThatThrownBy(() -> sandbox.freeze("shard-0-b"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not freezing it");
      assertThat(LocalProcesses.isStopped(notNodeB.pid())).isFalse();
    }
  }

  @Test
  void anAttachedSandboxIsLeftRunning() throws Exception {
    Path log = tmp.resolve("calls.log");
    Path dir = Files.createDirectory(tmp.resolve("sbx"));
    Files.writeString(
        dir.resolve("sandbox.json"),
        "{\"entry\":\"http://127.0.0.1:9\",\"proxies\":[],\"shards\":[]}");

    try (Sandbox sandbox =
        Sandbox.attach(
            fakeLauncher(log, tmp.resolve("none")),
            dir,
            new Sandbox.Spec(1, null, null),
            console)) {
      assertThat(sandbox.topology().entry().getPort()).isEqualTo(9);
    }

    assertThat(log).doesNotExist(); // no down
    assertThat(dir.resolve("sandbox.json")).exists();
  }

  @Test
  void attachingWhereThereIsNoSandboxFails() {
    assertThatThrownBy(
            () ->
                Sandbox.attach(
                    fakeLauncher(tmp.resolve("l"), tmp.resolve("b")),
                    tmp,
                    new Sandbox.Spec(1, null, null),
                    console))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no sandbox");
  }

  @Test
  void sandboxPortsCoverEntryProxiesNodesAndRaft() {
    assertThat(Sandbox.sandboxPorts(20000, 2))
        .contains(20000, 20009, 20020, 20025, 21000, 21005)
        .doesNotContain(20010, 20026, 21006);
    int port = Sandbox.freePortRange(3);
    assertThat(port).as("below the ephemeral range").isBetween(10000, 30000);
  }

  @Test
  void specPassesOnlyTheNodeFlagsGiven() {
    assertThat(new Sandbox.Spec(1, null, null).nodeFlags()).isEmpty();
    assertThat(new Sandbox.Spec(1, 16, 500L).nodeFlags())
        .containsExactly("--workers", "16", "--max-pending", "500");
    assertThat(new Sandbox.Spec(1, 16, null).withNoAuth(true).nodeFlags())
        .containsExactly("--insecure-no-auth", "--workers", "16");
    assertThatThrownBy(() -> new Sandbox.Spec(0, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private SandboxLauncher fakeLauncher(Path log, Path busyOnce) {
    try {
      Path script = tmp.resolve("fake-sandbox");
      if (!Files.exists(script)) {
        Files.writeString(script, FAKE_SCRIPT);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
      }
      return new SandboxLauncher(
          script,
          Map.of(
              "FAKE_LOG", log.toString(),
              "FAKE_BUSY_ONCE", busyOnce.toString(),
              "FAKE_PID_A", Long.toString(nodeA == null ? 1 : nodeA.pid()),
              "FAKE_PID_B", Long.toString(notNodeB == null ? 1 : notNodeB.pid())));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
