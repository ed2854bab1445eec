package dev.shardhook.perf;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the helper programs the harness needs (the sandbox script, initdb, pg_ctl) and stops the
 * processes it started, always by PID.
 */
final class LocalProcesses {
  /** A finished program: exit status and what it wrote to stdout. */
  record Finished(int status, String stdout) {}

  private LocalProcesses() {}

  /**
   * Runs {@code command} to the end and returns its status and stdout; stderr goes to {@code
   * stderr} as it comes. A program still running after {@code timeout} is killed (by PID) and
   * reported as an {@link IOException}.
   */
  static Finished run(
      List<String> command, Map<String, String> env, Path dir, Duration timeout, PrintStream stderr)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(env);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    Process process = builder.start();
    process.getOutputStream().close();
    // Own threads for both pipes: a program blocked on a full pipe would never finish.
    CompletableFuture<String> out = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> out.complete(read(process.getInputStream())));
    Thread err = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), stderr));
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      stop(process.toHandle(), Duration.ofSeconds(5));
      throw new IOException(
          "'" + String.join(" ", command) + "' did not finish within " + timeout.toSeconds() + "s");
    }
    err.join();
    return new Finished(process.exitValue(), out.join());
  }

  /**
   * Stops {@code process}: SIGTERM, and SIGKILL if it is still running after {@code grace}. Returns
   * whether it is gone.
   */
  static boolean stop(ProcessHandle process, Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    if (awaitExit(process, grace)) {
      return true;
    }
    process.destroyForcibly();
    return awaitExit(process, Duration.ofSeconds(10));
  }

  /** Waits until {@code process} has exited; false if it still runs after {@code timeout}. */
  static boolean awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!hasEnded(process)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  /** Whether {@code process} has ended: gone, or a zombie not reaped yet. */
  static boolean hasEnded(ProcessHandle process) {
    return !process.isAlive() || isZombie(process.pid());
  }

  /**
   * Whether the process has ended but is not reaped yet. Sandbox nodes are not our children, so
   * whoever adopted them reaps them, sometimes seconds later (a container's PID 1 was seen taking
   * ~1.7 s), and {@link ProcessHandle#isAlive} stays true until then.
   */
  static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ...: comm may hold spaces and parentheses, so look after the last ')'
      int end = stat.lastIndexOf(')');
      return end > 0 && end + 2 < stat.length() && "ZX".indexOf(stat.charAt(end + 2)) >= 0;
    } catch (IOException | RuntimeException e) {
      return false; // no /proc (not Linux) or already gone: isAlive decides
    }
  }

  /**
   * Sends signal {@code name} ({@code STOP}, {@code CONT}) to {@code pid} with {@code kill -s}: the
   * JDK sends only SIGTERM and SIGKILL.
   */
  static void signal(long pid, String name, Console console)
      throws IOException, InterruptedException {
    Finished kill =
        run(
            List.of("kill", "-s", name, Long.toString(pid)),
            Map.of(),
            null,
            Duration.ofSeconds(10),
            console.err());
    if (kill.status() != 0) {
      throw new IOException("kill -s " + name + " " + pid + " exited with " + kill.status());
    }
  }

  /** Whether the process is stopped by a signal (state {@code T}); false when gone or not Linux. */
  static boolean isStopped(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')');
      return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'T';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void copy(InputStream in, PrintStream to) {
    try (in) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        synchronized (to) {
          to.write(buffer, 0, n);
          to.flush();
        }
      }
    } catch (IOException e) {
      // the process is gone; nothing more to copy
    }
  }
}
