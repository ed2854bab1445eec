package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** AIMD, driven by scripted outcomes on a fake time line. */
class AdaptiveLimitTest {
  private static final long RTT = 50;

  @Test
  void startsLowAndDoublesEachRoundTripUntilTheFirstOverload() {
    AdaptiveLimit limit = new AdaptiveLimit(200);
    assertThat(limit.current()).isEqualTo(AdaptiveLimit.INITIAL);

    // one round trip: every running attempt succeeds fast
    for (int i = 0; i < 10; i++) {
      limit.onSuccess(RTT);
    }
    assertThat(limit.current()).isEqualTo(20);
    for (int i = 0; i < 20; i++) {
      limit.onSuccess(RTT);
    }
    assertThat(limit.current()).isEqualTo(40);
  }

  @Test
  void neverGrowsPastItsMaximumNorBelowOne() {
    AdaptiveLimit limit = new AdaptiveLimit(12);
    for (int i = 0; i < 1_000; i++) {
      limit.onSuccess(RTT);
    }
    assertThat(limit.current()).isEqualTo(12);

    long t = 0;
    for (int i = 0; i < 1_000; i++) {
      t += 10;
      limit.onOverload(t, t);
    }
    assertThat(limit.current()).isEqualTo(1);
  }

  @Test
  void aBurstOfOverloadsFromOneRoundTripDecreasesOnce() {
    AdaptiveLimit limit = new AdaptiveLimit(100);
    grow(limit, 40);
    assertThat(limit.current()).isEqualTo(40);

    // 30 attempts sent at t=1000..1029 all get 429, answered at t=1050..1079
    int decreases = 0;
    for (int i = 0; i < 30; i++) {
      decreases += limit.onOverload(1_000 + i, 1_050 + i) ? 1 : 0;
    }
    assertThat(decreases).isEqualTo(1);
    // the first overload ends slow start by halving
    assertThat(limit.current()).isEqualTo(20);
    assertThat(limit.decreases()).isEqualTo(1);

    // an attempt sent after that decrease was learnt may decrease again, by a tenth
    assertThat(limit.onOverload(1_080, 1_100)).isTrue();
    assertThat(limit.current()).isEqualTo(18);
    assertThat(limit.onOverload(1_090, 1_150)).isFalse();
  }

  @Test
  void afterAnOverloadItGrowsByAboutOnePerLimitSuccesses() {
    AdaptiveLimit limit = new AdaptiveLimit(100);
    grow(limit, 40);
    limit.onOverload(1, 2); // slow start ends: 40 -> 20
    limit.onOverload(3, 4); // 20 -> 18
    assertThat(limit.current()).isEqualTo(18);

    assertThat(successesToReach(limit, 19)).isBetween(18, 19);
    assertThat(successesToReach(limit, 20)).isBetween(19, 20);
  }

  @Test
  void slowSuccessesHoldTheLimit() {
    AdaptiveLimit limit = new AdaptiveLimit(100);
    for (int i = 0; i < 10; i++) {
      limit.onSuccess(RTT); // min latency 50 ms: fast is at most 2 * 50 + 10
    }
    int before = limit.current();
    for (int i = 0; i < 50; i++) {
      limit.onSuccess(111);
    }
    assertThat(limit.current()).isEqualTo(before);
    limit.onSuccess(110);
    assertThat(limit.current()).isEqualTo(before + 1);
  }

  @Test
  void theMinimumLatencyFollowsTheReceiverAfterTwoWindows() {
    AdaptiveLimit limit = new AdaptiveLimit(10_000);
    limit.onSuccess(5);
    limit.onOverload(0, 0); // leave slow start: +1/limit per success
    // the receiver got slower for good: 2 windows later 200 ms counts as fast again
    for (int i = 0; i < 2 * AdaptiveLimit.MIN_WINDOW; i++) {
      limit.onSuccess(200);
    }
    double before = limit.current();
    for (int i = 0; i < 200; i++) {
      limit.onSuccess(200);
    }
    assertThat(limit.current()).isGreaterThan((int) before);
  }

  @Test
  void aLowerMaximumCapsTheLimitAtOnce() {
    AdaptiveLimit limit = new AdaptiveLimit(64);
    grow(limit, 64);
    limit.max(5);
    assertThat(limit.current()).isEqualTo(5);
    assertThat(limit.max()).isEqualTo(5);
    assertThatThrownBy(() -> limit.max(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdaptiveLimit(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Simulates a receiver that takes {@code capacity} concurrent requests and answers 429 beyond:
   * after a warm-up the limit stays close under the capacity and few attempts are refused.
   */
  @Test
  void settlesJustUnderAReceiversCapacity() {
    AdaptiveLimit limit = new AdaptiveLimit(200);
    int capacity = 20;
    long refused = 0;
    long total = 0;
    long sumLimit = 0;
    int rounds = 400;
    for (int round = 0; round < rounds; round++) {
      long sent = round * RTT;
      int n = limit.current();
      for (int i = 0; i < n; i++) {
        boolean ok = i < capacity;
        if (round >= 40) {
          total++;
          refused += ok ? 0 : 1;
        }
        if (ok) {
          limit.onSuccess(RTT);
        } else {
          limit.onOverload(sent, sent + 1);
        }
      }
      if (round >= 40) {
        sumLimit += Math.min(n, capacity);
      }
    }
    assertThat((double) refused / total).isLessThanOrEqualTo(0.05);
    assertThat((double) sumLimit / (rounds - 40) / capacity).isGreaterThanOrEqualTo(0.9);
  }

  private static int successesToReach(AdaptiveLimit limit, int target) {
    int n = 0;
    while (limit.current() < target) {
      limit.onSuccess(RTT);
      n++;
    }
    return n;
  }

  private static void grow(AdaptiveLimit limit, int to) {
    while (limit.current() < to) {
      limit.onSuccess(RTT);
    }
  }
}
