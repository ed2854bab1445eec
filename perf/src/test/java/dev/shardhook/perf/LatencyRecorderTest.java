package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
  @Test
  void percentilesAreInMillisecondsAcrossMergedRecorders() {
    LatencyRecorder a = new LatencyRecorder();
    LatencyRecorder b = new LatencyRecorder();
    for (int ms = 1; ms <= 50; ms++) {
      a.recordNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }
    for (int ms = 51; ms <= 100; ms++) {
      b.recordNanos(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    a.add(b);

    assertThat(a.count()).isEqualTo(100);
    assertThat(a.percentileMillis(50)).isCloseTo(50.0, within(0.1));
    assertThat(a.percentileMillis(99)).isCloseTo(99.0, within(0.1));
    assertThat(a.maxMillis()).isCloseTo(100.0, within(0.1));
  }

  @Test
  void emptyRecorderHasNoPercentiles() {
    assertThat(new LatencyRecorder().percentileMillis(50)).isNaN();
  }

  @Test
  void clampsValuesOutsideTheRange() {
    LatencyRecorder recorder = new LatencyRecorder();
    recorder.recordNanos(10);
    recorder.recordNanos(TimeUnit.HOURS.toNanos(2));

    assertThat(recorder.count()).isEqualTo(2);
    assertThat(recorder.percentileMillis(0)).isCloseTo(0.001, within(0.0001));
  }
}
