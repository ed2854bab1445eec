package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRankAnswersAnObservedValue() {
    List<Double> sample = List.of(4.0, 1.0, 3.0, 2.0);

    assertThat(Percentiles.nearestRank(sample, 50)).isEqualTo(2.0);
    assertThat(Percentiles.nearestRank(sample, 51)).isEqualTo(3.0);
    assertThat(Percentiles.nearestRank(sample, 100)).isEqualTo(4.0);
    assertThat(Percentiles.nearestRank(sample, 0)).isEqualTo(1.0);
    assertThat(Percentiles.max(sample)).isEqualTo(4.0);
  }

  @Test
  void oneValueIsEveryPercentile() {
    assertThat(Percentiles.nearestRank(List.of(2.5), 50)).isEqualTo(2.5);
    assertThat(Percentiles.max(List.of(2.5))).isEqualTo(2.5);
  }

  @Test
  void oddSampleMedianIsTheMiddle() {
    assertThat(Percentiles.nearestRank(List.of(9.0, 1.0, 5.0), 50)).isEqualTo(5.0);
  }

  @Test
  void emptySampleHasNoPercentiles() {
    assertThat(Percentiles.nearestRank(List.of(), 50)).isNaN();
    assertThat(Percentiles.max(List.of())).isNaN();
  }

  @Test
  void aResumeThatNeverHappenedMakesTheMaxUnknownButNotTheMedian() {
    List<Double> sample = List.of(1.0, Double.NaN, 2.0);

    assertThat(Percentiles.nearestRank(sample, 50)).isEqualTo(2.0);
    assertThat(Percentiles.max(sample)).isNaN();
  }

  @Test
  void rejectsPercentilesOutside0To100() {
    assertThatThrownBy(() -> Percentiles.nearestRank(List.of(1.0), 101))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
