package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExportTimelineTest {
  private static ExportTimeline.Sample s(
      double seconds, long delivered, long exported, double lag, long entries) {
    return new ExportTimeline.Sample(seconds, 100, delivered, exported, lag, entries);
  }

  private final ExportTimeline timeline =
      new ExportTimeline(
          List.of(
              s(0.0, 0, 0, 0, 0),
              s(1.0, 40, 10, 0.8, 12),
              s(2.0, 100, 60, 1.5, 30),
              s(3.0, 100, 100, 0.2, 1),
              s(4.0, 100, 100, 0, 0)));

  @Test
  void theLastRowIsInterpolatedBetweenSamples() {
    assertThat(timeline.secondsToExport(100)).isCloseTo(3.0, within(1e-9));
    assertThat(timeline.secondsToExport(80)).isCloseTo(2.5, within(1e-9));
    assertThat(timeline.secondsToExport(0)).isZero();
    assertThat(timeline.secondsToExport(101)).isNaN();
  }

  @Test
  void rowsExportedByAMoment() {
    assertThat(timeline.exportedAt(1.5)).isCloseTo(35, within(1e-9));
    assertThat(timeline.exportedAt(2.0)).isCloseTo(60, within(1e-9));
    assertThat(timeline.exportedAt(9.0)).isCloseTo(100, within(1e-9));
    assertThat(new ExportTimeline(List.of()).exportedAt(1)).isZero();
  }

  @Test
  void peaks() {
    assertThat(timeline.peakLagSeconds()).isEqualTo(1.5);
    assertThat(timeline.peakLagEntries()).isEqualTo(30);
    assertThat(timeline.peakBacklog()).isEqualTo(40); // 100 delivered, 60 exported at 2 s
  }
}
