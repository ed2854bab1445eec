package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyAccountingTest {
  private static final long MS = 1_000_000L;

  private static ResumeTimes.Accepted sent(String id, long atMs) {
    return new ResumeTimes.Accepted(id, "s0", atMs * MS, atMs * MS + 3 * MS);
  }

  @Test
  void latencyRunsFromTheSubmitToTheFirstArrival() {
    LatencyAccounting a =
        LatencyAccounting.of(
            List.of(sent("a", 1000), sent("b", 1100)),
            Map.of("a", 1005 * MS, "b", 1140 * MS),
            1000 * MS,
            2000 * MS);

    assertThat(a.measured()).isEqualTo(2);
    assertThat(a.arrived()).isEqualTo(2);
    assertThat(a.missing()).isZero();
    assertThat(a.latency().percentileMillis(0)).isCloseTo(5.0, within(0.01));
    assertThat(a.latency().maxMillis()).isCloseTo(40.0, within(0.05));
  }

  @Test
  void splitsTheLatencyAtTheAcknowledgement() {
    // sent at 1000 ms, 201 at 1003 ms, webhook at 1010 ms
    LatencyAccounting a =
        LatencyAccounting.of(List.of(sent("a", 1000)), Map.of("a", 1010 * MS), 0, 5000 * MS);

    assertThat(a.accept().maxMillis()).isCloseTo(3.0, within(0.01));
    assertThat(a.afterAccept().maxMillis()).isCloseTo(7.0, within(0.01));
  }

  @Test
  void onlyJobsSentWithinTheWindowCount() {
    LatencyAccounting a =
        LatencyAccounting.of(
            List.of(sent("warm", 500), sent("in", 1500), sent("late", 2000)),
            Map.of("warm", 900 * MS, "in", 1510 * MS, "late", 2010 * MS),
            1000 * MS,
            2000 * MS);

    assertThat(a.measured()).isEqualTo(1);
    assertThat(a.latency().count()).isEqualTo(1);
    assertThat(a.latency().maxMillis()).isCloseTo(10.0, within(0.01));
  }

  @Test
  void anAcknowledgedJobNeverSeenIsMissingNotALatency() {
    LatencyAccounting a =
        LatencyAccounting.of(
            List.of(sent("a", 1000), sent("gone", 1001)), Map.of("a", 1002 * MS), 0, 5000 * MS);

    assertThat(a.measured()).isEqualTo(2);
    assertThat(a.arrived()).isEqualTo(1);
    assertThat(a.missing()).isEqualTo(1);
    assertThat(a.latency().count()).isEqualTo(1);
  }

  @Test
  void perSecondFiguresGroupBySubmitTime() {
    LatencyAccounting a =
        LatencyAccounting.of(
            List.of(sent("a", 0), sent("b", 500), sent("c", 1200)),
            Map.of("a", 2 * MS, "b", 504 * MS, "c", 1300 * MS),
            0,
            2000 * MS);

    assertThat(a.perSecond()).hasSize(2);
    assertThat(a.perSecond().get(0).second()).isEqualTo(0);
    assertThat(a.perSecond().get(0).jobs()).isEqualTo(2);
    assertThat(a.perSecond().get(0).p99Ms()).isCloseTo(4.0, within(0.01));
    assertThat(a.perSecond().get(1).second()).isEqualTo(1);
    assertThat(a.perSecond().get(1).p50Ms()).isCloseTo(100.0, within(0.1));
  }

  @Test
  void anArrivalStampedBeforeItsSubmitCountsAsZero() {
    LatencyAccounting a =
        LatencyAccounting.of(List.of(sent("a", 1000)), Map.of("a", 999 * MS), 0, 5000 * MS);

    assertThat(a.latency().maxMillis()).isLessThan(0.01);
  }
}
