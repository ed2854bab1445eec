package dev.shardhook.perf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A local sandbox ({@code deploy/local/sandbox}) the scenario runs against: started by the harness
 * in a temporary directory on free ports and stopped again ({@code down}, by PID) on close, or an
 * existing one it only uses. Nodes are killed (or frozen and resumed) by PID; {@code up} on the
 * same directory starts only what is not running.
 */
final class Sandbox implements AutoCloseable {
  /**
   * The sandbox to start.
   *
   * @param shards three-node shards
   * @param workers the nodes' {@code --workers}, or null for their default
   * @param maxPending the nodes' {@code --max-pending}, or null for their default
   * @param noAuth start it with {@code --insecure-no-auth} (no API keys) instead of keys
   */
  record Spec(int shards, Integer workers, Long maxPending, boolean noAuth) {
    Spec {
      if (shards < 1 || shards > 64) {
        throw new IllegalArgumentException("shards must be 1..64, got " + shards);
      }
    }

    /** With API keys (the sandbox's default). */
    Spec(int shards, Integer workers, Long maxPending) {
      this(shards, workers, maxPending, false);
    }

    Spec withNoAuth(boolean noAuth) {
      return new Spec(shards, workers, maxPending, noAuth);
    }

    /**
     * The flags {@code up} passes on to the nodes, and {@code --insecure-no-auth}; given again on
     * every restart (the sandbox refuses another auth mode while some of it runs).
     */
    List<String> nodeFlags() {
      List<String> flags = new ArrayList<>();
      if (noAuth) {
        flags.add("--insecure-no-auth");
      }
      if (workers != null) {
        flags.addAll(List.of("--workers", workers.toString()));
      }
      if (maxPending != null) {
        flags.addAll(List.of("--max-pending", maxPending.toString()));
      }
      return flags;
    }
  }

  /**
   * A node killed with SIGKILL (or frozen with SIGSTOP): when the signal went out, and when the
   * process was seen gone (or stopped).
   */
  record Kill(String nodeId, long pid, long signalNanos, long deadNanos) {}

  private static final int EXIT_PORT_BUSY = 3;
  private static final int START_ATTEMPTS = 5;

  private final SandboxLauncher launcher;
  private final Path dir;
  private final Spec spec;
  private final boolean owned;
  private final boolean keepData;
  private final Console console;
  private ShutdownHook hook;
  private boolean failed;
  private boolean closed;

  private Sandbox(
      SandboxLauncher launcher,
      Path dir,
      Spec spec,
      boolean owned,
      boolean keepData,
      Console console) {
    this.launcher = launcher;
    this.dir = dir;
    this.spec = spec;
    this.owned = owned;
    this.keepData = keepData;
    this.console = console;
  }

  /**
   * Starts a sandbox of {@code spec.shards()} shards and one proxy in a new temporary directory on
   * a free port range, and waits until it is ready ({@code up} does).
   *
   * @param keepData keep the directory (node data and logs) after {@link #close}; it is kept anyway
   *     when something failed
   */
  static Sandbox start(SandboxLauncher launcher, Spec spec, boolean keepData, Console console)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("shardhook-perf-");
    Sandbox sandbox = new Sandbox(launcher, dir, spec, true, keepData, console);
    sandbox.hook = ShutdownHook.register("sandbox", sandbox);
    try {
      sandbox.up(spec, dir);
      return sandbox;
    } catch (IOException | InterruptedException | RuntimeException e) {
      sandbox.failed = true;
      try {
        sandbox.close();
      } catch (IOException | InterruptedException | RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private void up(Spec spec, Path dir) throws IOException, InterruptedException {
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int port = freePortRange(spec.shards());
      console.say(
          "starting a sandbox: %d shard(s), 1 proxy, port %d, in %s", spec.shards(), port, dir);
      List<String> args = new ArrayList<>(List.of("up", "--data", dir.toString()));
      args.addAll(
          List.of(
              "--shards", Integer.toString(spec.shards()), "--proxies", "1", "--port", "" + port));
      args.addAll(spec.nodeFlags());
      LocalProcesses.Finished up = launcher.run(args, console);
      if (up.status() == 0) {
        return;
      }
      if (up.status() != EXIT_PORT_BUSY) {
        throw new IOException(
            "deploy/local/sandbox up failed (exit status "
                + up.status()
                + "); node logs are in "
                + dir.resolve("logs"));
      }
      Files.deleteIfExists(dir.resolve("sandbox.json")); // a port was taken meanwhile: try another
    }
    throw new IOException("no free port range for the sandbox after " + START_ATTEMPTS + " tries");
  }

  /**
   * A sandbox that is already running in {@code dir}; {@link #close} leaves it running. {@code
   * spec}'s node flags are given again when a killed node is restarted: pass those it was started
   * with.
   */
  static Sandbox attach(SandboxLauncher launcher, Path dir, Spec spec, Console console)
      throws IOException {
    if (!Files.isRegularFile(dir.resolve("sandbox.json"))) {
      throw new IOException("no sandbox in " + dir + " (no sandbox.json)");
    }
    return new Sandbox(launcher, dir, spec, false, true, console);
  }

  Path dir() {
    return dir;
  }

  Spec spec() {
    return spec;
  }

  /** The current topology (PIDs change when nodes restart). */
  SandboxTopology topology() throws IOException {
    return SandboxTopology.read(dir.resolve("sandbox.json"));
  }

  /**
   * Kills node {@code nodeId} with SIGKILL, by the PID in {@code sandbox.json}, after checking that
   * the process is that node, and waits until it is gone.
   */
  Kill kill(String nodeId) throws IOException, InterruptedException {
    SandboxTopology.Process node = runningNode(nodeId);
    ProcessHandle process = nodeProcess(node, "killing");
    long signal = System.nanoTime();
    process.destroyForcibly();
    if (!LocalProcesses.awaitExit(process, Duration.ofSeconds(10))) {
      throw new IOException(nodeId + " (pid " + node.pid() + ") survived SIGKILL for 10s");
    }
    return new Kill(nodeId, node.pid(), signal, System.nanoTime());
  }

  /**
   * Freezes node {@code nodeId} with SIGSTOP, by the PID in {@code sandbox.json} after the same
   * check as {@link #kill}, and waits until the kernel reports it stopped: a long GC pause or a
   * partition as far as its peers can tell. {@code deadNanos} is when it was seen stopped. {@link
   * #thaw} resumes it.
   */
  Kill freeze(String nodeId) throws IOException, InterruptedException {
    SandboxTopology.Process node = runningNode(nodeId);
    ProcessHandle process = nodeProcess(node, "freezing");
    long signal = System.nanoTime();
    LocalProcesses.signal(process.pid(), "STOP", console);
    long deadline = signal + Duration.ofSeconds(10).toNanos();
    while (!LocalProcesses.isStopped(process.pid())) {
      if (System.nanoTime() > deadline) {
        thaw(new Kill(nodeId, node.pid(), signal, signal));
        throw new IOException(nodeId + " (pid " + node.pid() + ") not stopped 10s after SIGSTOP");
      }
      Thread.sleep(1);
    }
    return new Kill(nodeId, node.pid(), signal, System.nanoTime());
  }

  /** Resumes a node {@link #freeze} stopped (SIGCONT to the same PID), if it still runs. */
  void thaw(Kill frozen) throws IOException, InterruptedException {
    if (ProcessHandle.of(frozen.pid()).filter(ProcessHandle::isAlive).isPresent()) {
      LocalProcesses.signal(frozen.pid(), "CONT", console);
    }
  }

  private SandboxTopology.Process runningNode(String nodeId) throws IOException {
    SandboxTopology.Process node =
        topology().node(nodeId).orElseThrow(() -> new IOException("no node " + nodeId));
    if (node.pid() == null) {
      throw new IOException(nodeId + " is not running (no PID in sandbox.json)");
    }
    return node;
  }

  /** The live process of {@code node}, after checking that its command line names the node. */
  private static ProcessHandle nodeProcess(SandboxTopology.Process node, String doing)
      throws IOException {
    String nodeId = node.id();
    ProcessHandle process =
        ProcessHandle.of(node.pid())
            .filter(ProcessHandle::isAlive)
            .orElseThrow(
                () -> new IOException(nodeId + " (pid " + node.pid() + ") is not running"));
    String[] arguments = process.info().arguments().orElse(null);
    if (arguments != null && !Arrays.asList(arguments).contains(nodeId)) {
      throw new IOException(
          "pid " + node.pid() + " is not " + nodeId + " any more; not " + doing + " it");
    }
    return process;
  }

  /** Starts whatever is not running ({@code up --data DIR} with the node flags) and waits. */
  void startStopped() throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("up", "--data", dir.toString()));
    args.addAll(spec.nodeFlags());
    LocalProcesses.Finished up = launcher.run(args, console);
    if (up.status() != 0) {
      failed = true;
      throw new IOException(
          "deploy/local/sandbox up (restart) failed with exit status " + up.status());
    }
  }

  /** Keep the directory (logs) on close. */
  void markFailed() {
    failed = true;
  }

  /** Stops the sandbox if this run started it, and removes its directory unless kept. */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    if (!owned || closed) {
      return;
    }
    closed = true;
    hook.remove();
    if (Files.isRegularFile(dir.resolve("sandbox.json"))) {
      LocalProcesses.Finished down =
          launcher.run(List.of("down", "--data", dir.toString()), console);
      if (down.status() != 0) {
        failed = true;
        console.say("deploy/local/sandbox down exited with %d", down.status());
      }
    }
    if (keepData || failed) {
      console.say("sandbox data and node logs kept in %s", dir);
    } else {
      deleteTree(dir);
    }
  }

  /**
   * A port P whose sandbox ports are free now: P and P+1..P+9 (entry and proxies), P+20.. (node
   * HTTP) and P+1000.. (Raft), three per shard.
   */
  static int freePortRange(int shards) {
    for (int tries = 0; tries < 50; tries++) {
      // below Linux's ephemeral range (32768 and up), where outgoing connections take ports
      int port = 10000 + ThreadLocalRandom.current().nextInt(20000);
      if (sandboxPorts(port, shards).stream().allMatch(Sandbox::isFree)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port range found for " + shards + " shard(s)");
  }

  static List<Integer> sandboxPorts(int port, int shards) {
    List<Integer> ports = new ArrayList<>();
    for (int p = port; p < port + 10; p++) {
      ports.add(p);
    }
    for (int i = 0; i < 3 * shards; i++) {
      ports.add(port + 20 + i);
      ports.add(port + 1000 + i);
    }
    return ports;
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
