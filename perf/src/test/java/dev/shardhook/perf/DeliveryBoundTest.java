package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryBoundTest {
  @Test
  void workersOverLatency() {
    assertThat(DeliveryBound.perSecond(200, 64, 4, 100)).isEqualTo(2000.0);
  }

  @Test
  void perHostLimitCapsFewHosts() {
    assertThat(DeliveryBound.perSecond(256, 64, 1, 100)).isEqualTo(640.0);
  }

  @Test
  void noLatencyNoBound() {
    assertThat(DeliveryBound.perSecond(256, 64, 1, 0)).isInfinite();
  }
}
