package dev.shardhook.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Schedule ids, and the one routing rule they add: a fired job goes with its schedule. */
class ScheduleIdsTest {
  @Test
  void idsFromKeysArePerTenantAndValid() {
    String a = ScheduleIds.fromIdempotencyKey("default", "k");
    assertThat(ScheduleIds.isValid(a)).isTrue();
    assertThat(JobIds.isValid(ScheduleIds.firedJobId(a, 1_780_000_000L))).isTrue();
    assertThat(a).isEqualTo(ScheduleIds.fromIdempotencyKey("default", "k"));
    assertThat(a).isNotEqualTo(ScheduleIds.fromIdempotencyKey("acme", "k"));
    assertThat(ScheduleIds.isValid(ScheduleIds.fresh())).isTrue();
    assertThat(ScheduleIds.isValid("sch_nothex")).isFalse();
  }

  @Test
  void aFiredJobIsPlacedWithItsScheduleAndOtherIdsAsBefore() {
    ShardRing ring = ShardRing.of(List.of("s0", "s1", "s2", "s3", "s4"));
    for (int i = 0; i < 200; i++) {
      String schedule = ScheduleIds.fromIdempotencyKey("default", "k" + i);
      assertThat(ring.shardFor(ScheduleIds.firedJobId(schedule, 1_780_000_000L + i)))
          .isEqualTo(ring.shardFor(schedule));
    }
    assertThat(ScheduleIds.ringKey("order.42")).isEqualTo("order.42");
    assertThat(ScheduleIds.ringKey("sch_abc.42")).isEqualTo("sch_abc");
    assertThat(ScheduleIds.ringKey("sch_abc")).isEqualTo("sch_abc");
  }
}
