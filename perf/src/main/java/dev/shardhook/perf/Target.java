package dev.shardhook.perf;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The Shardhook a scenario measures: a sandbox it started (and stops on close), a sandbox that was
 * already running, or just an entry URL.
 */
final class Target implements AutoCloseable {
  private final URI entry;
  private final Sandbox sandbox;

  private Target(URI entry, Sandbox sandbox) {
    this.entry = entry;
    this.sandbox = sandbox;
  }

  /**
   * Opens what {@code options} name: --entry, --sandbox DIR, or else a new sandbox of {@code spec}.
   */
  static Target open(RunOptions options, Sandbox.Spec spec, Console console)
      throws IOException, InterruptedException {
    if (options.entry != null) {
      console.say("running against %s (no sandbox started)", options.entry);
      return new Target(options.entry, null);
    }
    if (options.sandboxDir != null) {
      Sandbox attached = Sandbox.attach(options.launcher(), options.sandboxDir, spec, console);
      return new Target(attached.topology().entry(), attached);
    }
    Sandbox started = Sandbox.start(options.launcher(), spec, options.keepData, console);
    try {
      return new Target(started.topology().entry(), started);
    } catch (IOException e) {
      started.markFailed();
      started.close();
      throw e;
    }
  }

  /** Where clients send jobs. */
  URI entry() {
    return entry;
  }

  /** Where clients send jobs, in order of preference (see {@link SandboxTopology#entries}). */
  List<URI> entries() throws IOException {
    return sandbox == null ? List.of(entry) : sandbox.topology().entries();
  }

  Optional<Sandbox> sandbox() {
    return Optional.ofNullable(sandbox);
  }

  /** Keep the sandbox's data and logs. */
  void markFailed() {
    if (sandbox != null) {
      sandbox.markFailed();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (sandbox != null) {
      sandbox.close();
    }
  }
}
