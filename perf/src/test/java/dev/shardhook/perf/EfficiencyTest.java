package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EfficiencyTest {
  @Test
  void ratioIsOursOverTheirs() {
    assertThat(Efficiency.ratio(500, 2000)).isEqualTo(0.25);
  }

  @Test
  void ratioIsUnknownWithoutABaselineFigure() {
    assertThat(Efficiency.ratio(500, 0)).isNaN();
    assertThat(Efficiency.ratio(500, Double.NaN)).isNaN();
    assertThat(Efficiency.ratio(Double.NaN, 10)).isNaN();
  }

  @Test
  void boundIsWorkersOverLatency() {
    assertThat(Efficiency.deliveryBound(200, 100)).isEqualTo(2000.0);
    assertThat(Efficiency.deliveryBound(64, 10)).isEqualTo(6400.0);
  }

  @Test
  void noLatencyNoBoundAndNoEfficiency() {
    assertThat(Efficiency.deliveryBound(64, 0)).isInfinite();
    assertThat(Efficiency.ofBound(1000, Efficiency.deliveryBound(64, 0))).isNaN();
  }

  @Test
  void efficiencyIsThroughputOverBound() {
    assertThat(Efficiency.ofBound(1500, Efficiency.deliveryBound(200, 100))).isEqualTo(0.75);
  }

  @Test
  void scalingIsThroughputOverNTimesTheSingleShard() {
    assertThat(Efficiency.scaling(2400, 3, 1000, 1)).isCloseTo(0.8, within(1e-9));
    assertThat(Efficiency.scaling(1000, 1, 1000, 1)).isEqualTo(1.0);
  }

  @Test
  void scalingAgainstAnotherBaseCount() {
    // 4 shards against 2: linear would be twice the 2-shard throughput.
    assertThat(Efficiency.scaling(3000, 4, 2000, 2)).isEqualTo(0.75);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> Efficiency.deliveryBound(0, 100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Efficiency.scaling(1, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
