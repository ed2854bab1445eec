package dev.shardhook.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterHeaderTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

  @Test
  void readsDelaySeconds() {
    assertThat(RetryAfterHeader.parse("120", NOW)).hasValue(Duration.ofSeconds(120));
    assertThat(RetryAfterHeader.parse(" 0 ", NOW)).hasValue(Duration.ZERO);
    assertThat(RetryAfterHeader.parse("99999999999999999999", NOW)).isPresent();
  }

  @Test
  void leadingZerosDoNotLengthenTheDelay() {
    assertThat(RetryAfterHeader.parse("0000000000000000000005", NOW))
        .hasValue(Duration.ofSeconds(5));
    assertThat(RetryAfterHeader.parse("0000000000000", NOW)).hasValue(Duration.ZERO);
  }

  @Test
  void readsAnHttpDateRelativeToNow() {
    // RFC 9110's own example date.
    assertThat(RetryAfterHeader.parse("Wed, 21 Oct 2015 07:28:30 GMT", NOW))
        .hasValue(Duration.ofSeconds(30));
    assertThat(RetryAfterHeader.parse("Wed, 21 Oct 2015 07:27:00 GMT", NOW))
        .hasValue(Duration.ZERO);
  }

  @Test
  void ignoresWhatItCannotRead() {
    assertThat(RetryAfterHeader.parse(null, NOW)).isEmpty();
    assertThat(RetryAfterHeader.parse("", NOW)).isEmpty();
    assertThat(RetryAfterHeader.parse("-1", NOW)).isEmpty();
    assertThat(RetryAfterHeader.parse("1.5", NOW)).isEmpty();
    assertThat(RetryAfterHeader.parse("soon", NOW)).isEmpty();
    // Found by RetryAfterHeaderFuzzTest: control characters only, which trim() removes.
    assertThat(RetryAfterHeader.parse("\u0004\u0000\u0000\u0000", NOW)).isEmpty();
  }
}
