package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  // 2024-01-01 was a Monday
  private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void deltaSeconds() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("0", NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse(" 5 ", NOW)).contains(Duration.ofSeconds(5));
  }

  @Test
  void hugeDeltaSaturates() {
    assertThat(RetryAfter.parse("99999999999999999999999", NOW))
        .contains(Duration.ofSeconds(Long.MAX_VALUE));
  }

  @Test
  void imfFixdate() {
    assertThat(RetryAfter.parse("Mon, 01 Jan 2024 00:01:40 GMT", NOW))
        .contains(Duration.ofSeconds(100));
  }

  @Test
  void obsoleteDateForms() {
    assertThat(RetryAfter.parse("Monday, 01-Jan-24 00:00:30 GMT", NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parse("Mon Jan  1 00:00:10 2024", NOW)).contains(Duration.ofSeconds(10));
  }

  @Test
  void pastDateMeansNow() {
    assertThat(RetryAfter.parse("Sun, 31 Dec 2023 23:00:00 GMT", NOW)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("Mon, 01 Jan 2024 00:00:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "soon",
        "-5",
        "1.5",
        "+3",
        "0x10",
        "5 s",
        "Mon, 01 Jan 2024 00:01:40",
        "Mon, 32 Jan 2024 00:01:40 GMT",
        "2024-01-01T00:01:40Z"
      })
  void garbageIsEmpty(String value) {
    assertThat(RetryAfter.parse(value, NOW)).isEmpty();
  }
}
