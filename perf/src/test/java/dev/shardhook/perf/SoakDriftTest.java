package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakDriftTest {
  private static List<SoakDrift.Point> series(double... values) {
    List<SoakDrift.Point> points = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      points.add(new SoakDrift.Point(i * 60, values[i]));
    }
    return points;
  }

  @Test
  void flatAfterSettlingIsNoDrift() {
    // a warm-up ramp, then flat: the ramp before the settling time does not count
    SoakDrift.Result r = SoakDrift.drift(series(10, 50, 100, 100, 100, 100, 100), 120, 120);
    assertThat(r.first()).isEqualTo(100);
    assertThat(r.last()).isEqualTo(100);
    assertThat(r.drift()).isZero();
    assertThat(r.within(0.1)).isTrue();
  }

  @Test
  void growthIsLastWindowOverFirstWindow() {
    // first window [120, 240): 100 and 100; last window (240, 360]: 120 and 130
    SoakDrift.Result r = SoakDrift.drift(series(0, 0, 100, 100, 110, 120, 130), 120, 120);
    assertThat(r.first()).isEqualTo(100);
    assertThat(r.last()).isEqualTo(125);
    assertThat(r.drift()).isCloseTo(0.25, within(1e-9));
    assertThat(r.within(0.1)).isFalse();
  }

  @Test
  void shrinkingCountsAsDriftToo() {
    SoakDrift.Result r = SoakDrift.drift(series(100, 100, 100, 80, 80), 0, 120);
    assertThat(r.drift()).isCloseTo(-0.2, within(1e-9));
    assertThat(r.within(0.1)).isFalse();
  }

  @Test
  void unreadSamplesAreSkipped() {
    SoakDrift.Result r = SoakDrift.drift(series(100, -1, 100, -1, 105), 0, 120);
    assertThat(r.first()).isEqualTo(100);
    assertThat(r.last()).isEqualTo(105);
  }

  @Test
  void noSamplesAfterSettlingIsUnknownAndNotWithinTheGoal() {
    SoakDrift.Result r = SoakDrift.drift(series(100, 100), 600, 60);
    assertThat(r.drift()).isNaN();
    assertThat(r.within(0.1)).isFalse();
  }

  @Test
  void zeroThroughoutIsFlat() {
    assertThat(SoakDrift.drift(series(0, 0, 0, 0), 0, 60).drift()).isZero();
  }

  @Test
  void windowIsAFifthOfTheSettledTimeButThreeSamplesAtLeast() {
    assertThat(SoakDrift.window(1800, 300, 30)).isEqualTo(300);
    assertThat(SoakDrift.window(240, 60, 30)).isEqualTo(90);
    assertThatThrownBy(() -> SoakDrift.drift(series(1), 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
