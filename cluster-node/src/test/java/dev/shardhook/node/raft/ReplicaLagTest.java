package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.node.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplicaLagTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
  private final ReplicaLag lag = new ReplicaLag(clock, Duration.ofSeconds(10));

  @Test
  void aFollowerThatAppliesNothingWhileItsLeaderCommitsIsStalledAfterTheThreshold() {
    assertThat(lag.observe(0, 5).stalled()).isFalse();
    clock.advance(Duration.ofSeconds(9));
    ReplicaLag.Reading early = lag.observe(0, 900);
    assertThat(early.stalled()).isFalse();
    assertThat(early.lag()).isEqualTo(900);

    clock.advance(Duration.ofSeconds(1));
    ReplicaLag.Reading stalled = lag.observe(0, 1200);

    assertThat(stalled.stalled()).isTrue();
    assertThat(stalled.lag()).isEqualTo(1200);
    assertThat(stalled.sinceProgress()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aFollowerThatKeepsApplyingIsNeverStalledHoweverFarBehind() {
    for (int i = 1; i <= 30; i++) {
      clock.advance(Duration.ofSeconds(1));
      ReplicaLag.Reading r = lag.observe(i * 10L, i * 100L);
      assertThat(r.stalled()).isFalse();
      assertThat(r.lag()).isEqualTo(i * 90L);
    }
  }

  @Test
  void anIdleShardIsNotStalledAndWorkResumingStartsTheClockAgain() {
    lag.observe(42, 42);
    clock.advance(Duration.ofMinutes(5));
    assertThat(lag.observe(42, 42)).isEqualTo(new ReplicaLag.Reading(0, false, Duration.ZERO));

    clock.advance(Duration.ofSeconds(5));
    assertThat(lag.observe(42, 50).stalled()).isFalse();
    clock.advance(Duration.ofSeconds(10));
    assertThat(lag.observe(42, 60).stalled()).isTrue();
    // it caught up: no longer stalled, and a new gap needs a new ten seconds
    assertThat(lag.observe(60, 60).stalled()).isFalse();
    clock.advance(Duration.ofSeconds(3));
    assertThat(lag.observe(60, 70).stalled()).isFalse();
  }

  @Test
  void anUnknownLeaderCommitIsNoLag() {
    lag.observe(7, -1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(lag.observe(7, -1)).isEqualTo(new ReplicaLag.Reading(0, false, Duration.ZERO));
  }

  @Test
  void resetForgetsTheHistory() {
    lag.observe(0, 100);
    clock.advance(Duration.ofSeconds(20));
    lag.reset();
    assertThat(lag.observe(0, 100).stalled()).isFalse();
  }

  @Test
  void theThresholdMustBePositive() {
    assertThatThrownBy(() -> new ReplicaLag(clock, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
