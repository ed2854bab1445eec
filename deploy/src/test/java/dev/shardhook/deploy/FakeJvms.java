package dev.shardhook.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A JAVA_HOME whose {@code bin/java} runs {@code fake_jvm.py} (test resources) instead of a node or
 * proxy: it answers {@code /ready} and {@code /status} at once (over TLS when given the TLS flags),
 * so that {@code sandbox up} runs to its end in a second and every flag it passes shows in the
 * process logs. The fake's command line starts with {@code .../java-python} (a link to the real
 * interpreter), so the launcher recognises it as a {@code java} process and {@code down} stops it.
 */
final class FakeJvms {
  private final Path home;
  private final Path jar;

  private FakeJvms(Path home, Path jar) {
    this.home = home;
    this.jar = jar;
  }

  static FakeJvms in(Path dir) throws Exception {
    Path home = Files.createDirectories(dir.resolve("fake-jdk"));
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path script = DeployFiles.moduleDir().resolve("src/test/resources/fake_jvm.py");
    Files.createSymbolicLink(bin.resolve("java-python"), Path.of(realPython()));
    Path java = bin.resolve("java");
    Files.writeString(
        java,
        """
        #!/usr/bin/env bash
        if [ "$1" = "-version" ]; then echo 'openjdk version "25" 2026-01-01' >&2; exit 0; fi
        exec "$(dirname "$0")/java-python" '%s' "$@"
        """
            .formatted(script));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new FakeJvms(home, Files.writeString(dir.resolve("fake.jar"), "not a jar"));
  }

  /** The environment of a sandbox command that starts fakes instead of JVMs. */
  Map<String, String> env() {
    return Map.of(
        "JAVA_HOME", home.toString(),
        "SANDBOX_NODE_JAR", jar.toString(),
        "SANDBOX_PROXY_JAR", jar.toString());
  }

  /** The interpreter itself: python3 on PATH may be a wrapper script (pyenv). */
  private static String realPython() throws Exception {
    Process p =
        new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
      throw new IllegalStateException("python3 did not name its interpreter: " + out);
    }
    return out;
  }

  /** A base port whose sandbox ports (P..P+9, P+20..P+22, P+1000..P+1002) look free. */
  static int freePortRange() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 10_000 + ThreadLocalRandom.current().nextInt(20_000);
      if (IntStream.range(0, 10).allMatch(i -> free(base + i))
          && IntStream.range(0, 3).allMatch(i -> free(base + 20 + i) && free(base + 1000 + i))) {
        return base;
      }
    }
    throw new IOException("no free port range for the sandbox");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
