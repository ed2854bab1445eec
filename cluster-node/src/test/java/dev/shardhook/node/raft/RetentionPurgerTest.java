package dev.shardhook.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionPurgerTest {
  @Test
  void roundsComeATenthOfTheRetentionApartBetween50msAndAMinute() {
    assertThat(RetentionPurger.intervalFor(Duration.ofDays(7))).isEqualTo(Duration.ofMinutes(1));
    assertThat(RetentionPurger.intervalFor(Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(RetentionPurger.intervalFor(Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(100));
    assertThat(RetentionPurger.intervalFor(Duration.ofMillis(100)))
        .isEqualTo(Duration.ofMillis(50));
  }
}
