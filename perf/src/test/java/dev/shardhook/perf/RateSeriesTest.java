package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateSeriesTest {
  private static final long S = 1_000_000_000L;

  @Test
  void countsEventsPerBucketAsPerSecond() {
    List<Long> events = List.of(0L, S / 4, S / 2, S + 1, 3 * S / 2, 5 * S);

    List<double[]> points = RateSeries.perSecond(events, 0, 2 * S, 0.5);

    assertThat(points).hasSize(4);
    assertThat(points.get(0)).containsExactly(0.25, 4.0); // two events in the first half second
    assertThat(points.get(1)).containsExactly(0.75, 2.0);
    assertThat(points.get(2)).containsExactly(1.25, 2.0);
    assertThat(points.get(3)).containsExactly(1.75, 2.0); // the event at 5 s is outside
  }

  @Test
  void anEmptyRangeIsOneEmptyBucket() {
    assertThat(RateSeries.perSecond(List.of(), 10, 10, 1)).hasSize(1);
  }
}
