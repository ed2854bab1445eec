package dev.shardhook.node.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which expressions a schedule takes, and its firings in a zone across a DST change. */
class CronSpecTest {
  @Test
  void fiveFieldsAreUnixAndSixAreSecondsFirst() {
    assertThat(CronSpec.parse("*/5 * * * *", null).syntax()).isEqualTo(CronSpec.UNIX);
    assertThat(CronSpec.parse("* * * * * *", "UTC").syntax()).isEqualTo(CronSpec.SPRING);
    Instant t = Instant.parse("2026-01-01T00:00:00.400Z");
    assertThat(CronSpec.parse("* * * * * *", null).nextAfter(t))
        .contains(Instant.parse("2026-01-01T00:00:01Z"));
    assertThat(CronSpec.parse("*/5 * * * *", null).nextAfter(t))
        .contains(Instant.parse("2026-01-01T00:05:00Z"));
  }

  @Test
  void badExpressionsAndZonesNameTheirField() {
    assertThatThrownBy(() -> CronSpec.parse("* * *", null)).hasMessageStartingWith("cron:");
    assertThatThrownBy(() -> CronSpec.parse("61 * * * *", null)).hasMessageStartingWith("cron:");
    assertThatThrownBy(() -> CronSpec.parse("* * * * *", "Mars/Olympus"))
        .hasMessageStartingWith("timeZone:");
  }

  @Test
  void aLocalTimeFollowsItsZoneAcrossDaylightSaving() {
    CronSpec nine = CronSpec.parse("0 9 * * *", "Europe/Paris");
    // Paris moves from UTC+1 to UTC+2 on 2026-03-29.
    assertThat(nine.nextAfter(Instant.parse("2026-03-28T09:00:00Z")))
        .contains(Instant.parse("2026-03-29T07:00:00Z"));
    assertThat(nine.nextAfter(Instant.parse("2026-03-27T12:00:00Z")))
        .contains(Instant.parse("2026-03-28T08:00:00Z"));
  }

  @Test
  void aMissingLocalTimeIsSkippedAndARepeatedOneFiresOnce() {
    CronSpec half = CronSpec.parse("30 2 * * *", "Europe/Paris");
    // 02:30 does not exist in Paris on 2026-03-29: no firing that day.
    assertThat(half.nextAfter(Instant.parse("2026-03-28T01:30:00Z")))
        .contains(Instant.parse("2026-03-30T00:30:00Z"));
    // 02:30 happens twice on 2026-10-25 (CEST, then CET): it fires at the first only.
    assertThat(half.nextAfter(Instant.parse("2026-10-24T01:30:00Z")))
        .contains(Instant.parse("2026-10-25T00:30:00Z"));
    assertThat(half.nextAfter(Instant.parse("2026-10-25T00:30:00Z")))
        .contains(Instant.parse("2026-10-26T01:30:00Z"));
    // A step through the repeated hour fires in both of its occurrences.
    CronSpec every30 = CronSpec.parse("0 */30 * * * *", "Europe/Paris");
    assertThat(every30.nextAfter(Instant.parse("2026-10-25T00:30:00Z")))
        .contains(Instant.parse("2026-10-25T01:00:00Z"));
  }
}
