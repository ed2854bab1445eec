package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultWriterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
  private final Console console = new Console(quiet, quiet, Progress.Style.NONE);

  @TempDir Path results;

  @Test
  void writesResultJsonReportAndPngCharts() throws Exception {
    Map<String, Double> bars = Charts.ordered();
    bars.put("shardhook", 100.0);
    bars.put("etcd", Double.NaN); // missing figures are drawn as 0, not a failure
    Report report =
        new Report(
            "accept",
            ResultLine.of("accept").put("ratio", 0.5, 3),
            ResultLine.object().put("extra", 1),
            "## Result\n\nsomething",
            List.of(
                Charts.bars("accept-throughput", "Accepted", "ops/s", bars),
                Charts.lines(
                    "timeline",
                    "Timeline",
                    "s",
                    "n",
                    Map.of("a", List.of(new double[] {0, 1}, new double[] {1, 3})),
                    "kill",
                    List.of(0.5))),
            true);
    Instant started = Instant.parse("2026-11-23T10:00:00Z");

    Path dir =
        new ResultWriter(console)
            .write(results, report, List.of("--duration", "3s"), started, started.plusSeconds(5));

    assertThat(dir.getFileName().toString()).isEqualTo("20261123-100000-accept");
    JsonNode json = MAPPER.readTree(dir.resolve("result.json").toFile());
    assertThat(json.get("scenario").asText()).isEqualTo("accept");
    assertThat(json.get("ratio").asDouble()).isEqualTo(0.5);
    assertThat(json.get("ok").asBoolean()).isTrue();
    assertThat(json.get("command").asText()).isEqualTo("perf/run accept --duration 3s");
    assertThat(json.get("machine").get("cores").asInt()).isPositive();
    assertThat(json.get("details").get("extra").asInt()).isEqualTo(1);
    String md = Files.readString(dir.resolve("report.md"));
    assertThat(md)
        .contains("# Shardhook benchmark: accept")
        .contains("`perf/run accept --duration 3s`")
        .contains("![accept-throughput.png](accept-throughput.png)")
        .contains("## What this measures")
        .contains("{\"scenario\":\"accept\",\"ratio\":0.5}");
    for (String png : List.of("accept-throughput.png", "timeline.png")) {
      byte[] bytes = Files.readAllBytes(dir.resolve(png));
      assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
    }
  }

  @Test
  void aSecondRunInTheSameSecondGetsItsOwnDirectory() throws Exception {
    Report report =
        new Report("scale", ResultLine.of("scale"), ResultLine.object(), "", List.of(), false);
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    ResultWriter writer = new ResultWriter(console);

    Path first = writer.write(results, report, List.of(), at, at);
    Path second = writer.write(results, report, List.of(), at, at);

    assertThat(second).isNotEqualTo(first);
    assertThat(second.getFileName().toString()).isEqualTo("20261123-100000-scale-2");
    assertThat(Files.readString(second.resolve("report.md"))).contains("did not go as it should");
  }

  @Test
  void everyScenarioHasNotes() {
    for (String scenario : List.of("accept", "deliver", "failover", "history", "list", "scale")) {
      assertThat(ScenarioNotes.of(scenario)).as(scenario).contains("Not measured");
    }
  }

  @Test
  void markdownTable() {
    String table =
        new MarkdownTable("a", "b")
            .row(1, MarkdownTable.number(1234.567, 1))
            .row(null, "x")
            .toString();

    assertThat(table).isEqualTo("| a | b |\n| --- | --- |\n| 1 | 1,234.6 |\n| – | x |\n");
    assertThat(MarkdownTable.number(Double.NaN, 2)).isEqualTo("–");
  }
}
