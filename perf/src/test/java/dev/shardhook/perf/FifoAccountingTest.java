package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FifoAccountingTest {
  @Test
  void retriesAndRepeatsOfTheLastJobKeepOrderAndSkipsOrStepsBackBreakIt() {
    FifoAccounting a = new FifoAccounting();
    a.arrived(0, 0, 1_000_000_000L);
    a.arrived(1, 0, 1_100_000_000L);
    a.arrived(0, 0, 1_200_000_000L); // a retry of job 0
    a.arrived(0, 1, 1_300_000_000L);
    a.arrived(1, 1, 1_400_000_000L);
    assertThat(a.figures(0).outOfOrder()).isZero();

    a.arrived(0, 0, 1_500_000_000L); // job 0 again after job 1: broken
    a.arrived(1, 3, 2_000_000_000L); // job 3 before job 2 was ever delivered: broken
    FifoAccounting.Figures f = a.figures(0);
    assertThat(f.outOfOrder()).isEqualTo(2);
    assertThat(f.delivered()).isEqualTo(5);
    assertThat(f.repeats()).isEqualTo(2);
    assertThat(f.seconds()).isEqualTo(2.0);
    assertThat(f.perSecond()).isEqualTo(2.5);
  }

  @Test
  void idsCarryKeyAndNumber() {
    assertThat(FifoCommand.parse(FifoCommand.id("abc", 7, 42))).containsExactly(7, 42);
    assertThat(FifoCommand.parse("healthy-x-1-2")).isNull();
    assertThat(FifoCommand.parse("fabc-x-2")).isNull();
  }
}
