package dev.shardhook.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code deploy/local/sandbox} from the repository root, as a user types it. */
final class SandboxScript {
  static final Path PATH = DeployFiles.repoRoot().resolve("deploy/local/sandbox");
  static final int EXIT_PORT_BUSY = 3;

  private SandboxScript() {}

  /**
   * What one run printed: stdout (the entry URL, then the first tenant's API key when there are
   * keys) and stderr (the messages).
   */
  record Result(int code, String stdout, String stderr) {
    /** stderr and stdout together, for assertion messages. */
    String output() {
      return stderr + "\n" + stdout;
    }
  }

  static Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  /** Runs the script with {@code env} added to its environment; stdout and stderr go to files. */
  static Result run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(PATH.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("sandbox", ".out");
    Path err = Files.createTempFile("sandbox", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(DeployFiles.repoRoot().toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().putAll(env);
      Process p = builder.start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("deploy/local/sandbox " + args[0] + " ran 15 minutes");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
