package dev.shardhook.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads {@code Retry-After} (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date. */
final class RetryAfterHeader {
  private RetryAfterHeader() {}

  /**
   * The wait the header asks for, measured from {@code now}.
   *
   * @return the wait; zero for a date in the past; empty when absent or unreadable
   */
  static Optional<Duration> parse(String value, Instant now) {
    if (value == null) {
      return Optional.empty();
    }
    // trim() also drops control characters that isBlank() keeps: test what is left.
    String v = value.trim();
    if (v.isBlank()) {
      return Optional.empty();
    }
    if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Leading zeros do not make a delay longer; more digits than a long holds is "a very long
      // time", not an error.
      String digits = v.replaceFirst("^0+(?=.)", "");
      return Optional.of(
          digits.length() > 12
              ? Duration.ofSeconds(999_999_999_999L)
              : Duration.ofSeconds(Long.parseLong(digits)));
    }
    try {
      // RFC_1123_DATE_TIME reads IMF-fixdate, the only form servers may send.
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
