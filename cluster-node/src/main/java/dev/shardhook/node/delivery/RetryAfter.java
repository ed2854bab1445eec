package dev.shardhook.node.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a {@code Retry-After} header value (RFC 9110 section 10.2.3). */
public final class RetryAfter {
  private static final Pattern DELTA_SECONDS = Pattern.compile("[0-9]+");

  // IMF-fixdate is the only form senders may generate; the two obsolete forms are still accepted
  // as the RFC asks of recipients.
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.SMART);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss uuuu", Locale.US)
          .withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.SMART);

  private RetryAfter() {}

  /**
   * The delay the header asks for, measured from {@code now}.
   *
   * @return the delay; {@link Duration#ZERO} for a date in the past; empty for anything that is
   *     neither delta-seconds nor an HTTP-date (negative or fractional numbers included)
   */
  public static Optional<Duration> parse(String headerValue, Instant now) {
    if (headerValue == null) {
      return Optional.empty();
    }
    String v = headerValue.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (DELTA_SECONDS.matcher(v).matches()) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException tooLong) {
        return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
      }
    }
    for (DateTimeFormatter format : List.of(IMF_FIXDATE, rfc850(now), ASCTIME)) {
      try {
        Instant at = ZonedDateTime.parse(v, format).toInstant();
        return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return Optional.empty();
  }

  /**
   * RFC 850 dates have two-digit years; RFC 9110 reads a year more than 50 years in the future as
   * the most recent past year with those digits, which is a window of 100 years ending at now + 50.
   */
  private static DateTimeFormatter rfc850(Instant now) {
    int year = now.atZone(ZoneOffset.UTC).getYear();
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern("EEEE, dd-MMM-")
        .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.of(year - 49, 1, 1))
        .appendPattern(" HH:mm:ss 'GMT'")
        .toFormatter(Locale.US)
        .withZone(ZoneOffset.UTC)
        .withResolverStyle(ResolverStyle.SMART);
  }
}
