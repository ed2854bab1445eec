package dev.shardhook.perf;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A throw-away PostgreSQL for the db-scheduler baseline: {@code initdb} in a temporary directory,
 * {@code pg_ctl start} on a free loopback port (fsync and synchronous commit on, the defaults), and
 * {@code pg_ctl stop} on close, with a SIGKILL of the postmaster's PID if that fails. PostgreSQL
 * refuses to run as root: as root, every program runs as {@code postgres} through {@code runuser},
 * in a directory owned by {@code postgres}.
 */
final class PostgresServer implements AutoCloseable {
  static final String USER = "perf";
  private static final Duration PROGRAM_TIMEOUT = Duration.ofMinutes(2);

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean keepData;
  private final Console console;
  private ShutdownHook hook;
  private String options;
  private boolean failed;
  private boolean started;
  private boolean closed;

  private PostgresServer(Path bin, Path dir, int port, boolean keepData, Console console) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.keepData = keepData;
    this.console = console;
  }

  /**
   * Initialises and starts a server.
   *
   * @param maxConnections the server's {@code max_connections}
   */
  static PostgresServer start(Path bin, int maxConnections, boolean keepData, Console console)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("shardhook-perf-pg-");
    if (isRoot()) {
      UserPrincipal postgres;
      try {
        postgres =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      } catch (IOException e) {
        Sandbox.deleteTree(dir);
        throw new IOException(
            "running as root, PostgreSQL must run as the user 'postgres', which does not exist"
                + " (Debian's postgresql package creates it)");
      }
      Files.setOwner(dir, postgres);
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    PostgresServer server = new PostgresServer(bin, dir, freePort(), keepData, console);
    server.hook = ShutdownHook.register("postgresql", server);
    try {
      server.initAndStart(maxConnections);
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.failed = true; // keep the logs
      try {
        server.close();
      } catch (IOException | InterruptedException | RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private void initAndStart(int maxConnections) throws IOException, InterruptedException {
    Path data = dir.resolve("data");
    program(
        "initdb",
        List.of(
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            USER,
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync"));
    options =
        String.join(
            " ",
            "-p " + port,
            "-k " + dir,
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=" + maxConnections);
    started = true;
    pgCtlStart();
    console.say(
        "started PostgreSQL (pid %s) on 127.0.0.1:%d in %s",
        postmasterPid().map(Object::toString).orElse("?"), port, dir);
  }

  private void pgCtlStart() throws IOException, InterruptedException {
    program(
        "pg_ctl",
        List.of(
            "-D",
            dir.resolve("data").toString(),
            "-o",
            options,
            "-l",
            dir.resolve("log").toString(),
            "-w",
            "-t",
            "60",
            "start"));
  }

  /**
   * Stops the server and keeps its data ({@code pg_ctl stop -m fast}): a database that is down, for
   * as long as it takes until {@link #resume}.
   */
  synchronized void pause() throws IOException, InterruptedException {
    program("pg_ctl", List.of("-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
  }

  /** Starts the server {@link #pause} stopped, on the same port, and waits until it is up. */
  synchronized void resume() throws IOException, InterruptedException {
    pgCtlStart();
  }

  String jdbcUrl() {
    return databaseUrl() + "?user=" + USER;
  }

  /** The database's URL without the user, for clients that take the user on its own. */
  String databaseUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** The postmaster's PID from {@code postmaster.pid}, while it runs. */
  Optional<Long> postmasterPid() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("data/postmaster.pid"));
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code pg_ctl stop -m fast}; SIGKILL to the postmaster's PID if it is still there. */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    hook.remove();
    if (started) {
      Optional<Long> pid = postmasterPid();
      try {
        program(
            "pg_ctl", List.of("-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
      } catch (IOException e) {
        console.say("pg_ctl stop failed: %s", e.getMessage());
      }
      if (pid.isPresent()) {
        Optional<ProcessHandle> left = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (left.isPresent() && !LocalProcesses.stop(left.get(), Duration.ofSeconds(5))) {
          console.say("PostgreSQL pid %d did not stop", pid.get());
        }
      }
    }
    if (keepData || failed) {
      console.say("PostgreSQL data and log kept in %s", dir);
    } else {
      Sandbox.deleteTree(dir);
    }
  }

  private void program(String name, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(name).toString());
    command.addAll(args);
    LocalProcesses.Finished done =
        LocalProcesses.run(command, Map.of(), dir, PROGRAM_TIMEOUT, console.err());
    if (done.status() != 0) {
      throw new IOException(
          name + " exited with status " + done.status() + " (log: " + dir.resolve("log") + ")");
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
