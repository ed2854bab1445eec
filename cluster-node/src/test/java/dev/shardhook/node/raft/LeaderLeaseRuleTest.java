package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderLeaseRuleTest {
  @Test
  void aMajorityMustHaveRepliedWithinTheLease() {
    long lease = LeaderLease.leaseMillis();
    assertThat(lease).isPositive().isLessThan(150);

    assertThat(LeaderLease.majorityWithin(List.of(10L, 5_000L), 3, lease)).isTrue();
    assertThat(LeaderLease.majorityWithin(List.of(lease, 5_000L), 3, lease)).isFalse();
    // a leader frozen for 3 s: every reply is old
    assertThat(LeaderLease.majorityWithin(List.of(3_000L, 3_000L), 3, lease)).isFalse();
    assertThat(LeaderLease.majorityWithin(List.of(), 1, lease)).isTrue();
    assertThat(LeaderLease.majorityWithin(List.of(1L, 2L, 9_000L, 9_000L), 5, lease)).isTrue();
    assertThat(LeaderLease.majorityWithin(List.of(1L, 9_000L, 9_000L, 9_000L), 5, lease)).isFalse();
  }

  @Test
  void theLeaseLastsUntilTheMajorityCompletingReplyIsTooOld() {
    assertThat(LeaderLease.leaseLeftMillis(List.of(30L, 5_000L), 3, 135)).isEqualTo(105);
    assertThat(LeaderLease.leaseLeftMillis(List.of(5_000L, 30L), 3, 135)).isEqualTo(105);
    assertThat(LeaderLease.leaseLeftMillis(List.of(10L, 40L, 9_000L, 9_000L), 5, 135))
        .isEqualTo(95);
    assertThat(LeaderLease.leaseLeftMillis(List.of(5_000L), 3, 135)).isNegative();
  }
}
