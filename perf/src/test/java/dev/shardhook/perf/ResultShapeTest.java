package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The result lines have the shape the issue specifies, with the derived figures right. */
class ResultShapeTest {
  @Test
  void latency() throws Exception {
    long ms = 1_000_000L;
    LatencyAccounting accounting =
        LatencyAccounting.of(
            List.of(
                new ResumeTimes.Accepted("a", "s0", 0, ms),
                new ResumeTimes.Accepted("b", "s0", 10 * ms, 11 * ms)),
            java.util.Map.of("a", 4 * ms, "b", 30 * ms),
            0,
            1000 * ms);
    LatencyCommand.Figures figures =
        new LatencyCommand.Figures(800.0, true, 400.0, accounting, 1.0);

    JsonNode json = parse(LatencyCommand.resultLine(figures, 0.5, 1, 64, 1, 64));

    assertThat(keys(json)).startsWith("scenario", "shardhook", "rate", "rateSource");
    assertThat(json.get("scenario").asText()).isEqualTo("latency");
    assertThat(json.get("shardhook").get("p50Ms").asDouble()).isCloseTo(4.0, within(0.01));
    assertThat(json.get("shardhook").get("maxMs").asDouble()).isCloseTo(20.0, within(0.02));
    assertThat(json.get("shardhook").get("missing").asLong()).isZero();
    assertThat(json.get("rateSource").asText()).isEqualTo("measured");
    assertThat(json.get("maxAcceptRate").asDouble()).isEqualTo(800.0);
    assertThat(json.get("goalMet").asBoolean()).isTrue();
  }

  @Test
  void history() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ids.add("j" + i);
    }
    ExportTimeline timeline =
        new ExportTimeline(
            List.of(
                new ExportTimeline.Sample(0.0, 0, 0, 0, 0, 0),
                new ExportTimeline.Sample(1.0, 100, 40, 10, 0.8, 12),
                new ExportTimeline.Sample(2.0, 100, 100, 60, 1.5, 30),
                new ExportTimeline.Sample(3.0, 100, 100, 100, 0, 0)));
    HistoryCommand.Phase phase =
        new HistoryCommand.Phase(
            ids, 0, 1.0, 2.0, new DeliveryAccounting(100, 100, 0, 0, 0), timeline);
    ExportAccounting rows = new ExportAccounting(100, 100, 100, 0, 0, 0, 0, 0, 100);

    JsonNode json = parse(HistoryCommand.resultLine(phase, rows, drain(), rows, 1, 64, 100));

    assertThat(keys(json))
        .startsWith(
            "scenario",
            "shards",
            "workers",
            "jobs",
            "accepted",
            "acceptJobsPerSec",
            "deliveriesPerSec",
            "exportRowsPerSec",
            "ratio");
    assertThat(json.get("scenario").asText()).isEqualTo("history");
    assertThat(json.get("acceptJobsPerSec").asDouble()).isEqualTo(100.0);
    assertThat(json.get("deliveriesPerSec").asDouble()).isEqualTo(50.0);
    assertThat(json.get("exportRowsPerSec").asDouble()).isEqualTo(33.3);
    assertThat(json.get("ratio").asDouble()).isEqualTo(0.333);
    assertThat(json.get("exportWhileAcceptingRowsPerSec").asDouble()).isEqualTo(10.0);
    assertThat(json.get("exportTailSeconds").asDouble()).isEqualTo(1.0);
    assertThat(json.get("backlogAtLastDelivery").asLong()).isEqualTo(40);
    assertThat(json.get("keepsUp").asBoolean()).isTrue();
    assertThat(json.get("peakLagSeconds").asDouble()).isEqualTo(1.5);
    assertThat(json.get("peakLagEntries").asLong()).isEqualTo(30);
    assertThat(json.get("rowsInPostgres").asLong()).isEqualTo(100);
    assertThat(json.get("missing").asLong()).isZero();
    JsonNode drain = json.get("drain");
    assertThat(keys(drain)).startsWith("jobs", "rowsPerSec", "ratio");
    // 100 rows: 20 by the first sample that saw any (at 2 s), the last at 4 s: 80 in 2 s.
    assertThat(drain.get("rowsPerSec").asDouble()).isEqualTo(40.0);
    assertThat(drain.get("ratio").asDouble()).isEqualTo(0.4);
    assertThat(drain.get("fromRestartRowsPerSec").asDouble()).isEqualTo(25.0);
    assertThat(drain.get("firstRowSeconds").asDouble()).isEqualTo(2.0);
  }

  private static HistoryCommand.Drain drain() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ids.add("d" + i);
    }
    return new HistoryCommand.Drain(
        ids,
        1.0,
        new ExportTimeline(
            List.of(
                new ExportTimeline.Sample(0.0, 100, 100, 0, 0, 0),
                new ExportTimeline.Sample(1.0, 100, 100, 0, 0, 0),
                new ExportTimeline.Sample(2.0, 100, 100, 20, 3.0, 50),
                new ExportTimeline.Sample(3.0, 100, 100, 60, 2.0, 30),
                new ExportTimeline.Sample(4.0, 100, 100, 100, 0, 0))));
  }

  @Test
  void historyThatNeverFinishedExportingHasNoRate() throws Exception {
    HistoryCommand.Phase phase =
        new HistoryCommand.Phase(
            Set.of("a"),
            0,
            1.0,
            2.0,
            new DeliveryAccounting(1, 1, 0, 0, 0),
            new ExportTimeline(List.of(new ExportTimeline.Sample(5.0, 1, 1, 0, 4.0, 3))));

    JsonNode json =
        parse(
            HistoryCommand.resultLine(
                phase, new ExportAccounting(1, 0, 0, 1, 0, 0, 0, 0, 0), null, null, 1, 64, 1));

    assertThat(json.get("exportRowsPerSec").isNull()).isTrue();
    assertThat(json.get("ratio").isNull()).isTrue();
    assertThat(json.get("keepsUp").asBoolean()).isFalse();
    assertThat(json.get("missing").asLong()).isEqualTo(1);
    assertThat(json.get("drain").isNull()).isTrue();
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void accept() throws Exception {
    AcceptFigures ours = acceptFigures("shardhook", 1000, 10, 2);
    AcceptFigures etcd = acceptFigures("etcd", 4000, 10, 1);

    JsonNode json = parse(AcceptCommand.resultLine(ours, etcd, 1, 64, 512, Duration.ofSeconds(10)));

    assertThat(keys(json)).startsWith("scenario", "shardhook", "baseline", "ratio");
    assertThat(json.get("scenario").asText()).isEqualTo("accept");
    assertThat(keys(json.get("shardhook"))).startsWith("opsPerSec", "p50Ms", "p99Ms");
    assertThat(keys(json.get("baseline"))).startsWith("name", "opsPerSec", "p50Ms", "p99Ms");
    assertThat(json.get("baseline").get("name").asText()).isEqualTo("etcd");
    assertThat(json.get("shardhook").get("opsPerSec").asDouble()).isEqualTo(100.0);
    assertThat(json.get("baseline").get("opsPerSec").asDouble()).isEqualTo(400.0);
    assertThat(json.get("ratio").asDouble()).isEqualTo(0.25);
    assertThat(json.get("shardhook").get("p50Ms").asDouble()).isCloseTo(2.0, within(0.01));
  }

  @Test
  void acceptWithoutBaseline() throws Exception {
    JsonNode json =
        parse(
            AcceptCommand.resultLine(
                acceptFigures("shardhook", 10, 1, 1), null, 1, 8, 0, Duration.ofSeconds(1)));

    assertThat(json.get("baseline").isNull()).isTrue();
    assertThat(json.get("ratio").isNull()).isTrue();
  }

  @Test
  void deliver() throws Exception {
    DeliverFigures ours = deliverFigures("shardhook", 1000, 1000, 2, 2.0);
    DeliverFigures theirs = deliverFigures("db-scheduler", 1000, 999, 0, 1.0);
    double bound = Efficiency.deliveryBound(64, 100);

    JsonNode json = parse(DeliverCommand.resultLine(ours, theirs, bound, 1, 64, 100, 1000, 1));

    assertThat(keys(json)).startsWith("scenario", "shardhook", "baseline", "ratio");
    assertThat(keys(json.get("shardhook")))
        .startsWith("deliveriesPerSec", "bound", "efficiency", "duplicates", "lost");
    assertThat(keys(json.get("baseline"))).startsWith("name", "deliveriesPerSec");
    JsonNode shardhook = json.get("shardhook");
    assertThat(shardhook.get("deliveriesPerSec").asDouble()).isEqualTo(500.0);
    assertThat(shardhook.get("bound").asDouble()).isEqualTo(640.0);
    assertThat(shardhook.get("efficiency").asDouble()).isCloseTo(500.0 / 640, within(0.001));
    assertThat(shardhook.get("duplicates").asLong()).isEqualTo(2);
    assertThat(shardhook.get("lost").asLong()).isZero();
    assertThat(json.get("baseline").get("lost").asLong()).isEqualTo(1);
    assertThat(json.get("ratio").asDouble()).isCloseTo(500.0 / 999, within(0.001));
  }

  @Test
  void failover() throws Exception {
    List<FailoverCommand.KillResult> kills =
        List.of(
            kill("shard-0-a", 1.5, 2.0, 4),
            kill("shard-0-b", 3.0, 2.5, 2),
            kill("shard-0-c", 0.8, 1.0, 1));
    DeliveryAccounting accounting = new DeliveryAccounting(500, 499, 1, 7, 0);

    JsonNode json = parse(FailoverCommand.resultLine(kills, accounting, 0, 1, 100, 0));

    assertThat(keys(json))
        .startsWith("scenario", "resumeSecondsP50", "resumeSecondsMax", "lost", "duplicates")
        .contains("freezeMs", "inFlightAtKill", "duplicatesPerInFlight", "killed");
    assertThat(json.get("freezeMs").asLong()).isZero();
    // 4 + 2 + 1 in flight at the three kills, 7 duplicates
    assertThat(json.get("inFlightAtKill").asLong()).isEqualTo(7);
    assertThat(json.get("duplicatesPerInFlight").asDouble()).isEqualTo(1.0);
    assertThat(json.get("killed").get(0).get("inFlightAtKill").asInt()).isEqualTo(4);
    assertThat(json.get("resumeSecondsP50").asDouble()).isEqualTo(2.0);
    assertThat(json.get("resumeSecondsMax").asDouble()).isEqualTo(3.0);
    assertThat(json.get("lost").asLong()).isEqualTo(1);
    assertThat(json.get("duplicates").asLong()).isEqualTo(7);
    assertThat(json.get("killed")).hasSize(3);
    assertThat(json.get("killed").get(1).get("resumeSeconds").asDouble()).isEqualTo(3.0);
  }

  @Test
  void failoverWithAShardThatNeverResumed() throws Exception {
    List<FailoverCommand.KillResult> kills =
        List.of(kill("a", 1.0, 1.0, 0), kill("b", Double.NaN, 1.0, 0));

    JsonNode json =
        parse(FailoverCommand.resultLine(kills, new DeliveryAccounting(1, 1, 0, 0, 0), 0, 1, 1, 0));

    assertThat(json.get("resumeSecondsMax").isNull()).isTrue();
    assertThat(json.get("resumeSecondsP50").asDouble()).isEqualTo(1.0);
  }

  @Test
  void failoverByFreezingWithNothingInFlightHasNoRatio() throws Exception {
    // a leader that did not answer /status (-1) counts as nothing in flight
    List<FailoverCommand.KillResult> kills =
        List.of(kill("a", 1.0, 1.0, 0), kill("b", 1.0, 1.0, -1));

    JsonNode json =
        parse(
            FailoverCommand.resultLine(
                kills, new DeliveryAccounting(10, 10, 0, 3, 0), 0, 1, 1, 3000));

    assertThat(json.get("freezeMs").asLong()).isEqualTo(3000);
    assertThat(json.get("inFlightAtKill").asLong()).isZero();
    assertThat(json.get("duplicates").asLong()).isEqualTo(3);
    assertThat(json.get("duplicatesPerInFlight").isNull()).isTrue();
    assertThat(json.get("killed").get(1).get("inFlightAtKill").asInt()).isEqualTo(-1);
  }

  @Test
  void duplicatesPerInFlightRatio() {
    assertThat(FailoverCommand.duplicatesPerInFlight(3, 12)).isEqualTo(0.25);
    assertThat(FailoverCommand.duplicatesPerInFlight(5, 0)).isNaN();
  }

  @Test
  void scale() throws Exception {
    List<ScaleCommand.Point> points = new ArrayList<>();
    points.add(
        new ScaleCommand.Point(
            1,
            acceptFigures("shardhook", 1000, 10, 1),
            deliverFigures("shardhook", 100, 100, 0, 1),
            640));
    points.add(
        new ScaleCommand.Point(
            3,
            acceptFigures("shardhook", 2400, 10, 1),
            deliverFigures("shardhook", 300, 300, 0, 1.5),
            1920));

    JsonNode json = parse(ScaleCommand.resultLine(points, 2));

    assertThat(json.get("scenario").asText()).isEqualTo("scale");
    JsonNode three = json.get("runs").get(1);
    assertThat(three.get("shards").asInt()).isEqualTo(3);
    assertThat(three.get("accept").get("opsPerSec").asDouble()).isEqualTo(240.0);
    assertThat(three.get("acceptEfficiency").asDouble()).isEqualTo(0.8);
    assertThat(three.get("deliver").get("deliveriesPerSec").asDouble()).isEqualTo(200.0);
    assertThat(three.get("deliverEfficiency").asDouble()).isCloseTo(200.0 / 300, within(0.001));
    assertThat(json.get("runs").get(0).get("acceptEfficiency").asDouble()).isEqualTo(1.0);
    assertThat(json.get("meaningful").asBoolean()).isFalse();
  }

  private static AcceptFigures acceptFigures(String system, long ok, double seconds, int ms) {
    LatencyRecorder latency = new LatencyRecorder();
    for (int i = 0; i < ok; i++) {
      latency.recordNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }
    return new AcceptFigures(system, ok, 0, seconds, latency);
  }

  private static DeliverFigures deliverFigures(
      String system, int jobs, long delivered, long duplicates, double seconds) {
    return new DeliverFigures(
        system,
        jobs,
        0,
        new DeliveryAccounting(jobs, delivered, jobs - delivered, duplicates, 0),
        seconds,
        seconds / 2,
        List.of());
  }

  private static FailoverCommand.KillResult kill(
      String node, double accept, double delivery, int inFlight) {
    return new FailoverCommand.KillResult(
        "shard-0", node, "x", 1.0, new ResumeTimes.Resume(accept, delivery), 5.0, inFlight);
  }

  private static JsonNode parse(ResultLine line) throws Exception {
    String json = line.toJson();
    assertThat(json).doesNotContain("\n");
    return MAPPER.readTree(json);
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
