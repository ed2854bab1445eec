package dev.shardhook.perf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A scenario run in-process through {@link PerfMain}, as {@code perf/run} would run it. */
record PerfRun(int exitStatus, String stdout, String stderr) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static PerfRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        PerfMain.newCommandLine(
                new ScenarioRunner.Streams(
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)))
            .execute(args);
    return new PerfRun(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The JSON result: the last line on stdout, which is also the only one. */
  JsonNode result() throws IOException {
    List<String> lines = stdout.lines().toList();
    if (lines.size() != 1) {
      throw new AssertionError("expected one line on stdout, got: " + stdout + "\n" + stderr);
    }
    return MAPPER.readTree(lines.getFirst());
  }

  /** The files of the result directory. */
  List<String> resultFiles() throws IOException {
    Path dir = Path.of(result().get("resultDir").asText());
    try (Stream<Path> files = Files.list(dir)) {
      return new ArrayList<>(files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Override
  public String toString() {
    return "exit " + exitStatus + "\nstdout: " + stdout + "\nstderr:\n" + stderr;
  }
}
