package dev.shardhook.perf;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Shardhook a scenario measures: a sandbox it started (and stops on close), a sandbox that was
 * already running, or just an entry URL; and the API key its clients send.
 */
final class Target implements AutoCloseable {
  private final URI entry;
  private final Sandbox sandbox;
  private final String apiKey;
  private final boolean startedHere;

  private Target(URI entry, Sandbox sandbox, String apiKey, boolean startedHere) {
    this.entry = entry;
    this.sandbox = sandbox;
    this.apiKey = apiKey;
    this.startedHere = startedHere;
  }

  /**
   * Opens what {@code options} name: --entry, --sandbox DIR, or else a new sandbox of {@code spec}.
   */
  static Target open(RunOptions options, Sandbox.Spec spec, Console console)
      throws IOException, InterruptedException {
    return open(options, spec, Map.of(), console);
  }

  /**
   * Like {@link #open(RunOptions, Sandbox.Spec, Console)}; a sandbox it starts gets {@code nodeEnv}
   * in its environment, which its nodes inherit (e.g. {@code SHARDHOOK_*} settings).
   */
  static Target open(
      RunOptions options, Sandbox.Spec spec, Map<String, String> nodeEnv, Console console)
      throws IOException, InterruptedException {
    if (options.entry != null) {
      console.say("running against %s (no sandbox started)", options.entry);
      return new Target(options.entry, null, options.apiKey, false);
    }
    Sandbox.Spec wanted = spec.withNoAuth(options.noAuth);
    if (options.sandboxDir != null) {
      Sandbox attached = Sandbox.attach(options.launcher(), options.sandboxDir, wanted, console);
      SandboxTopology topology = attached.topology();
      return new Target(topology.entry(), attached, topology.apiKey(), false);
    }
    Sandbox started =
        Sandbox.start(options.launcher().withEnv(nodeEnv), wanted, options.keepData, console);
    try {
      SandboxTopology topology = started.topology();
      console.say(
          "clients send %s",
          topology.apiKey() == null
              ? "no API key (--insecure-no-auth)"
              : "the first tenant's API key from " + started.dir().resolve("sandbox.json"));
      return new Target(topology.entry(), started, topology.apiKey(), true);
    } catch (IOException e) {
      started.markFailed();
      started.close();
      throw e;
    }
  }

  /** The API key clients send ({@code Authorization: Bearer}); empty for none. */
  Optional<String> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /** A JSON client of the entry that sends the API key. */
  NodeHttp http(Duration timeout) {
    return new NodeHttp(entry, timeout, apiKey);
  }

  /** Where clients send jobs. */
  URI entry() {
    return entry;
  }

  /** Where clients send jobs, in order of preference (see {@link SandboxTopology#entries}). */
  List<URI> entries() throws IOException {
    return sandbox == null ? List.of(entry) : sandbox.topology().entries();
  }

  /** Whether this run started the sandbox (not --sandbox, not --entry). */
  boolean startedHere() {
    return startedHere;
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
