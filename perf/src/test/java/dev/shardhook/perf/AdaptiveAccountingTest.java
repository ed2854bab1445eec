package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdaptiveAccountingTest {
  @Test
  void theSummaryCoversTheSecondsAfterTheWarmupWhileASecondOfWorkWasLeft() {
    // 12 seconds, capacity 400/s; 4,400 jobs: after second 10, 400 are left, then none
    long[] attempts = {500, 450, 420, 420, 420, 420, 420, 420, 420, 420, 440, 400};
    long[] refused = {100, 60, 20, 20, 20, 20, 20, 20, 20, 20, 40, 0};
    long[] taken = {400, 390, 400, 400, 400, 400, 400, 400, 400, 10, 400, 400};
    long jobs = 0;
    for (long t : taken) {
      jobs += t;
    }
    AdaptiveAccounting a = new AdaptiveAccounting(attempts, refused, taken, jobs, 2, 400);

    // second 11 ends with nothing left: out; second 10 ends with 400 left (a second's work): in
    assertThat(a.window()).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10);
    long windowAttempts = 420 * 8 + 440;
    long windowRefused = 20 * 8 + 40;
    assertThat(a.refusedShare()).isCloseTo((double) windowRefused / windowAttempts, within(1e-9));
    assertThat(a.throughput()).isCloseTo((400 * 7 + 10 + 400) / 9.0, within(1e-9));
    assertThat(a.efficiency()).isCloseTo(a.throughput() / 400, within(1e-9));
  }

  @Test
  void aRunShorterThanTheWarmupHasNoWindow() {
    AdaptiveAccounting a =
        new AdaptiveAccounting(new long[] {10}, new long[] {1}, new long[] {9}, 9, 10, 400);
    assertThat(a.window()).isEmpty();
    assertThat(a.refusedShare()).isNaN();
    assertThat(a.throughput()).isNaN();
  }
}
