package dev.shardhook.perf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repository's {@code deploy/local/sandbox} for the smoke tests, with the node and proxy jars
 * of this build ({@code -Dshardhook.build.dir}) or of {@code target/}. The smoke tests skip when
 * those jars are not built: {@code ./mvnw -DskipTests package -pl cluster-node,proxy -am} first (a
 * full {@code ./mvnw verify} builds them before this module's tests).
 */
final class TestSandbox {
  private TestSandbox() {}

  static Path repo() {
    return Path.of(System.getProperty("shardhook.repo", "..")).toAbsolutePath().normalize();
  }

  /** Why the sandbox cannot run here, or empty when it can. */
  static Optional<String> unavailable() {
    SandboxLauncher launcher = launcher();
    if (!Files.isExecutable(launcher.script())) {
      return Optional.of("no sandbox script at " + launcher.script());
    }
    for (String jar : List.of("SANDBOX_NODE_JAR", "SANDBOX_PROXY_JAR")) {
      String path = launcher.env().get(jar);
      if (path == null || !Files.isRegularFile(Path.of(path))) {
        return Optional.of(
            "the "
                + (jar.contains("NODE") ? "node" : "proxy")
                + " jar is not built (./mvnw -DskipTests package -pl cluster-node,proxy -am)");
      }
    }
    return Optional.empty();
  }

  static SandboxLauncher launcher() {
    Map<String, String> env = new HashMap<>();
    jar("SANDBOX_NODE_JAR", "cluster-node", "shardhook-node.jar")
        .ifPresent(p -> env.put("SANDBOX_NODE_JAR", p));
    jar("SANDBOX_PROXY_JAR", "proxy", "shardhook-proxy.jar")
        .ifPresent(p -> env.put("SANDBOX_PROXY_JAR", p));
    return new SandboxLauncher(SandboxLauncher.forRepo(repo()).script(), Map.copyOf(env));
  }

  static String nodeJar() {
    return launcher().env().get("SANDBOX_NODE_JAR");
  }

  static String proxyJar() {
    return launcher().env().get("SANDBOX_PROXY_JAR");
  }

  private static Optional<String> jar(String variable, String module, String name) {
    String given = System.getenv(variable);
    if (given != null && !given.isBlank()) {
      return Optional.of(given);
    }
    String buildDir = System.getProperty("shardhook.build.dir", "target");
    for (String dir : List.of(buildDir, "target")) {
      Path jar = repo().resolve(module).resolve(dir).resolve(name);
      if (Files.isRegularFile(jar)) {
        return Optional.of(jar.toString());
      }
    }
    return Optional.empty();
  }
}
