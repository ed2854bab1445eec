package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    assertThat(RetryAfter.parse("99999999999999999999999", NOW)).contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("9223372036854775807", NOW)).contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("86401", NOW)).contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("0000000000000000000000000007", NOW))
        .contains(Duration.ofSeconds(7));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "99999999999999999999",
        "-99999999999999999999",
        "Thu, 01 Jan +300000000 00:00:00 GMT",
        "Thu, 01 Jan -300000000 00:00:00 GMT",
        "Mon, 01 Jan 999999999 00:00:00 GMT",
        "Mon, 01 Jan -999999999 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Monday, 01-Jan-99 00:00:00 GMT",
        "Mon Jan  1 00:00:10 +300000000",
        "\u0000\uffff",
        "1e400",
        "NaN"
      })
  void hostileValuesAreBoundedAndNeverThrow(String value) {
    for (Instant now : new Instant[] {NOW, Instant.MIN, Instant.MAX, Instant.EPOCH, null}) {
      RetryAfter.parse(value, now)
          .ifPresent(d -> assertThat(d).isBetween(Duration.ZERO, RetryAfter.MAX));
    }
  }

  @Test
  void datesFarAwayAreClampedOrNow() {
    // 1 January of years +-300000000 is a Saturday; with the wrong day the date is garbage
    assertThat(RetryAfter.parse("Sat, 01 Jan +300000000 00:00:00 GMT", NOW))
        .contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("Thu, 01 Jan +300000000 00:00:00 GMT", NOW)).isEmpty();
    assertThat(RetryAfter.parse("Sat, 01 Jan -300000000 00:00:00 GMT", NOW))
        .contains(Duration.ZERO);
    assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", NOW)).contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("Mon, 01 Jan 2024 00:01:40 GMT", Instant.MIN))
        .isNotEmpty()
        .contains(RetryAfter.MAX);
  }

  @Test
  void hugeStringsAreReadInBoundedTime() {
    assertThat(RetryAfter.parse("9".repeat(1_000_000), NOW)).contains(RetryAfter.MAX);
    assertThat(RetryAfter.parse("Mon, ".repeat(200_000), NOW)).isEmpty();
  }

  @Test
  void severalHeadersTakeTheLongestValidOne() {
    assertThat(RetryAfter.parse(List.of("5", "nonsense", "10"), NOW))
        .contains(Duration.ofSeconds(10));
    assertThat(RetryAfter.parse(List.of("nonsense", "-1"), NOW)).isEmpty();
    assertThat(RetryAfter.parse(List.<String>of(), NOW)).isEmpty();
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
