package dev.shardhook.perf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's directory {@code RESULTS/<yyyyMMdd-HHmmss>-<scenario>/}: {@code result.json} (the
 * result line with the command, the machine and the details), {@code report.md} and the PNG charts.
 */
final class ResultWriter {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Console console;

  ResultWriter(Console console) {
    this.console = console;
  }

  /**
   * Writes the directory and returns it.
   *
   * @param command the scenario's arguments as given
   */
  Path write(Path resultsRoot, Report report, List<String> command, Instant started, Instant ended)
      throws IOException {
    Path dir = newDirectory(resultsRoot, started, report.scenario());
    MachineInfo machine = MachineInfo.current();
    List<String> charts = new ArrayList<>();
    for (Charts.Named chart : report.charts()) {
      try {
        charts.add(chart.write(dir).getFileName().toString());
      } catch (IOException | RuntimeException | Error e) {
        console.say("chart %s not written: %s", chart.file(), e);
      }
    }
    ObjectNode json = (ObjectNode) MAPPER.readTree(report.result().toJson());
    json.setAll(
        (ObjectNode)
            MAPPER.readTree(
                ResultLine.object()
                    .put("ok", report.ok())
                    .put(
                        "command",
                        "perf/run " + report.scenario() + " " + String.join(" ", command))
                    .put("startedAt", seconds(started))
                    .put("endedAt", seconds(ended))
                    .put("machine", machine.toJson())
                    .put("details", report.details())
                    .toJson()));
    String pretty = MAPPER.writeValueAsString(json);
    Files.writeString(dir.resolve("result.json"), pretty + "\n", StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("report.md"),
        markdown(report, command, started, ended, machine, charts),
        StandardCharsets.UTF_8);
    return dir;
  }

  static String markdown(
      Report report,
      List<String> command,
      Instant started,
      Instant ended,
      MachineInfo machine,
      List<String> charts) {
    StringBuilder md = new StringBuilder();
    md.append("# Shardhook benchmark: ").append(report.scenario()).append("\n\n");
    md.append("- command: `perf/run ")
        .append(report.scenario())
        .append(' ')
        .append(String.join(" ", command))
        .append("`\n");
    md.append("- run: ")
        .append(seconds(started))
        .append(" to ")
        .append(seconds(ended))
        .append(" (")
        .append(Duration.between(started, ended).toSeconds())
        .append(" s)\n");
    md.append("- machine: ").append(machine.describe()).append("\n");
    if (!report.ok()) {
      md.append("- **the run did not go as it should** (see the figures and the notes)\n");
    }
    md.append("\n").append(report.body().strip()).append("\n\n");
    if (!charts.isEmpty()) {
      md.append("## Charts\n\n");
      for (String chart : charts) {
        md.append("![").append(chart).append("](").append(chart).append(")\n\n");
      }
    }
    md.append("## What this measures\n\n")
        .append(ScenarioNotes.of(report.scenario()).strip())
        .append("\n\n");
    md.append("## Result line\n\n```json\n").append(report.result().toJson()).append("\n```\n");
    return md.toString();
  }

  private static String seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Path newDirectory(Path root, Instant started, String scenario) throws IOException {
    Files.createDirectories(root);
    String base = STAMP.format(started) + "-" + scenario;
    Path dir = root.resolve(base);
    for (int i = 2; Files.exists(dir); i++) {
      dir = root.resolve(base + "-" + i);
    }
    return Files.createDirectory(dir);
  }
}
