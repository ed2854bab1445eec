package dev.shardhook.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Where the manifests live, and the readers the tests share. */
final class DeployFiles {
  static final ObjectMapper JSON = new ObjectMapper();
  static final YAMLMapper YAML = new YAMLMapper();

  private DeployFiles() {}

  /** The deploy module's directory: surefire runs with it as the working directory. */
  static Path moduleDir() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("k8s")) || !Files.isDirectory(dir.resolve("compose"))) {
      throw new IllegalStateException(dir + " is not the deploy module (no k8s/ and compose/)");
    }
    return dir;
  }

  static Path repoRoot() {
    return moduleDir().getParent();
  }

  static Path k8s() {
    return moduleDir().resolve("k8s");
  }

  static Path compose() {
    return moduleDir().resolve("compose");
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  static JsonNode readYamlTree(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads YAML the way Compose does as far as the YAML itself goes: anchors, aliases and merge keys
   * ({@code <<: *node}) resolved. Jackson's YAML parser leaves merge keys as literal "<<" entries,
   * so SnakeYAML loads and Jackson gets the resolved tree.
   */
  static JsonNode loadYamlResolvingMerges(Path file) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Object doc = yaml.load(read(file));
    return JSON.valueToTree(doc);
  }

  static List<Path> filesUnder(Path dir, String suffix) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether an executable is on the PATH (optional tools: haproxy, promtool, kubectl). */
  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, command);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return true;
      }
    }
    return false;
  }

  /** Output and exit status of a finished command. */
  record Run(int exitCode, String output) {}

  /** Runs a command (stdout and stderr together, through a temp file) with a time limit. */
  static Run run(Path workDir, List<String> command, long timeoutSeconds) {
    Path out = null;
    try {
      out = Files.createTempFile("deploy-run", ".out");
      Process p =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
      }
      return new Run(p.exitValue(), Files.readString(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
