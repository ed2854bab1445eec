package dev.shardhook.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run {@code deploy/local/sandbox}: the script and the environment it gets ({@code
 * SANDBOX_NODE_JAR} and {@code SANDBOX_PROXY_JAR} pick the jars; without them the script uses the
 * default {@code target/} jars and builds them when missing).
 *
 * @param script the sandbox script ({@code PERF_SANDBOX} overrides the repository's)
 * @param env variables added to the script's environment
 */
record SandboxLauncher(Path script, Map<String, String> env) {
  /** Limit for one script run; {@code up} may build the jars first. */
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

  /** The repository's sandbox, or the script {@code PERF_SANDBOX} names. */
  static SandboxLauncher forRepo(Path repo) {
    String override = System.getenv("PERF_SANDBOX");
    Path script =
        override != null && !override.isBlank()
            ? Path.of(override)
            : repo.resolve("deploy/local/sandbox");
    return new SandboxLauncher(script, Map.of());
  }

  /** This launcher with {@code more} added to the script's environment. */
  SandboxLauncher withEnv(Map<String, String> more) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(more);
    return new SandboxLauncher(script, Map.copyOf(all));
  }

  /** Runs {@code sandbox ARGS...}; the script's messages go to the console's stderr. */
  LocalProcesses.Finished run(List<String> args, Console console)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(script)) {
      throw new IOException("the sandbox script " + script + " is missing or not executable");
    }
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(args);
    return LocalProcesses.run(command, env, null, RUN_TIMEOUT, console.err());
  }
}
