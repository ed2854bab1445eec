package dev.shardhook.node.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL for tests: Debian's binaries ({@code apt-get install postgresql}), {@code
 * initdb} in a temporary directory and {@code pg_ctl start} on a free loopback port; {@code pg_ctl
 * stop} on close. PostgreSQL refuses to run as root, so as root every program runs as the user
 * {@code postgres} (through {@code runuser}) in a directory it owns. Tests that need it are
 * skipped, with one line saying so, where the binaries are missing.
 */
public final class TestPostgres implements AutoCloseable {
  public static final String USER = "shardhook";
  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  private final Path dir;
  private final int port;
  private boolean closed;

  private TestPostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server, or skips the calling test when PostgreSQL is not installed. */
  public static TestPostgres start() {
    assumeTrue(
        Files.isExecutable(BIN.resolve("initdb")),
        "PostgreSQL 15 is not installed (apt-get install postgresql): test skipped");
    try {
      Path dir = Files.createTempDirectory("shardhook-test-pg-");
      if (isRoot()) {
        Files.setOwner(
            dir,
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      TestPostgres pg = new TestPostgres(dir, freePort());
      pg.run(
          "initdb",
          "-D",
          dir.resolve("data").toString(),
          "-A",
          "trust",
          "-U",
          USER,
          "-E",
          "UTF8",
          "--no-locale",
          "--no-sync");
      pg.startServer();
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the server, keeping its data: the database is down until {@link #restart}. */
  public void stop() {
    try {
      run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the server again on its data and port after {@link #stop}. */
  public void restart() {
    try {
      startServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startServer() throws IOException {
    run(
        "pg_ctl",
        "-D",
        dir.resolve("data").toString(),
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "-l",
        dir.resolve("log").toString(),
        "-w",
        "-t",
        "60",
        "start");
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  private void run(String program, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(BIN.resolve(program).toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(program + ".out").toFile())
            .start();
    try {
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(program + " did not finish in 2 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(
          program
              + " exited with "
              + p.exitValue()
              + ": "
              + Files.readString(dir.resolve(program + ".out")));
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
