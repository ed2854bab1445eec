package dev.shardhook.perf;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every scenario takes: what to run against, where results go, how progress shows. */
final class RunOptions {
  @Option(
      names = "--entry",
      description =
          "Run against this running entry URL (a proxy, HAProxy or a node) instead of starting a"
              + " sandbox. Not for failover and scale.")
  URI entry;

  @Option(
      names = "--sandbox",
      paramLabel = "DIR",
      description =
          "Run against the sandbox already running in DIR (its sandbox.json) instead of starting"
              + " one; it keeps running. Pass the --workers it was started with.")
  Path sandboxDir;

  @Option(
      names = "--no-auth",
      description =
          "Start the sandbox with --insecure-no-auth: requests carry no API key (to measure what"
              + " keys cost). By default the sandbox makes keys and every request sends the first"
              + " tenant's key from its sandbox.json.")
  boolean noAuth;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "The API key sent as Authorization: Bearer with --entry (default: none; a sandbox's"
              + " comes from its sandbox.json)")
  String apiKey;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "The Shardhook checkout (for deploy/local/sandbox); default: found from the jar")
  Path repo;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Where the result directory is written (default: REPO/perf/results)")
  Path results;

  @Option(
      names = "--node-jar",
      paramLabel = "JAR",
      description = "The node jar the sandbox runs (SANDBOX_NODE_JAR; default: the script's)")
  Path nodeJar;

  @Option(
      names = "--proxy-jar",
      paramLabel = "JAR",
      description = "The proxy jar the sandbox runs (SANDBOX_PROXY_JAR; default: the script's)")
  Path proxyJar;

  @Option(
      names = "--keep-data",
      description = "Keep the sandbox's and baselines' temporary directories (data, logs)")
  boolean keepData;

  @Option(
      names = "--progress",
      defaultValue = "lines",
      description = "bar (redrawn in place), lines (every 2 s) or none (default ${DEFAULT-VALUE})")
  Progress.Style progress;

  /** The checkout: --repo, else the one holding this jar (perf/target/x.jar), else the cwd. */
  Path repoRoot() {
    if (repo != null) {
      return repo.toAbsolutePath().normalize();
    }
    try {
      Path jar =
          Path.of(RunOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
        if (Files.isRegularFile(dir.resolve("deploy/local/sandbox"))) {
          return dir;
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  Path resultsRoot() {
    return results != null ? results : repoRoot().resolve("perf/results");
  }

  /** The sandbox script, given the jars named by --node-jar and --proxy-jar. */
  SandboxLauncher launcher() {
    Map<String, String> env = new HashMap<>();
    if (nodeJar != null) {
      env.put("SANDBOX_NODE_JAR", nodeJar.toAbsolutePath().toString());
    }
    if (proxyJar != null) {
      env.put("SANDBOX_PROXY_JAR", proxyJar.toAbsolutePath().toString());
    }
    return new SandboxLauncher(SandboxLauncher.forRepo(repoRoot()).script(), Map.copyOf(env));
  }
}
