package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class BacklogAccountingTest {
  private static BacklogAccounting.HeapPoint point(long heap, long rss) {
    return new BacklogAccounting.HeapPoint(1, 1000, "n", heap, rss);
  }

  @Test
  void acceptRatioIsFullOverEmpty() {
    assertThat(BacklogAccounting.acceptRatio(1000, 850)).isEqualTo(0.85);
    assertThat(BacklogAccounting.acceptRatio(0, 850)).isNaN();
    assertThat(BacklogAccounting.acceptRatio(1000, Double.NaN)).isNaN();
  }

  @Test
  void bytesPerJobNeedsJobsAndADiskFigure() {
    assertThat(BacklogAccounting.bytesPerJob(1_600_000, 10_000)).isEqualTo(160.0);
    assertThat(BacklogAccounting.bytesPerJob(1_600_000, 0)).isNaN();
    assertThat(BacklogAccounting.bytesPerJob(-1, 10_000)).isNaN();
  }

  @Test
  void loadRateExtrapolatesTheWholeLoad() {
    double rate = BacklogAccounting.loadRate(1_000_000, 80);
    assertThat(rate).isEqualTo(12_500.0);
    assertThat(BacklogAccounting.extrapolatedSeconds(10_000_000, rate)).isEqualTo(800.0);
    assertThat(BacklogAccounting.extrapolatedSeconds(10, 0)).isInfinite();
  }

  @Test
  void maximaSkipUnreadSamples() {
    List<BacklogAccounting.HeapPoint> points =
        List.of(point(100, 900), point(-1, -1), point(300, 800), point(200, 950));
    assertThat(BacklogAccounting.maxHeap(points)).isEqualTo(300);
    assertThat(BacklogAccounting.maxRss(points)).isEqualTo(950);
    assertThat(BacklogAccounting.maxHeap(List.of(point(-1, -1)))).isEqualTo(-1);
  }

  @Test
  void goalsNeedEveryFigure() {
    long goal = 512L << 20;
    assertThat(BacklogAccounting.meetsGoals(300L << 20, goal, 0.9, 10)).isTrue();
    assertThat(BacklogAccounting.meetsGoals(600L << 20, goal, 0.9, 10)).isFalse();
    assertThat(BacklogAccounting.meetsGoals(300L << 20, goal, 0.7, 10)).isFalse();
    assertThat(BacklogAccounting.meetsGoals(300L << 20, goal, 0.9, 61)).isFalse();
    assertThat(BacklogAccounting.meetsGoals(300L << 20, goal, Double.NaN, 10)).isFalse();
    assertThat(BacklogAccounting.meetsGoals(-1, goal, 0.9, 10)).isFalse();
  }

  @Test
  void mibOfBytes() {
    assertThat(BacklogAccounting.mib(3L << 20)).isCloseTo(3.0, within(1e-9));
    assertThat(BacklogAccounting.mib(-1)).isNaN();
  }
}
