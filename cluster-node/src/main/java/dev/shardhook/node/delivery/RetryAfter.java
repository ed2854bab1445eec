package dev.shardhook.node.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
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

/**
 * Reads a {@code Retry-After} header value (RFC 9110 section 10.2.3). Receivers are not trusted:
 * every result lies in {@code [0, MAX]} and nothing here throws, whatever the header holds.
 */
public final class RetryAfter {
  /**
   * The longest delay a receiver can ask for; longer ones (99999999999999999999 seconds, a date in
   * year +300000000) are read as this. {@link RetryPolicy} caps it further by the job's policy.
   */
  public static final Duration MAX = Duration.ofDays(1);

  /** Longer values are not a delay or a date: "Wednesday, 01-Jan-24 ..." is 33 characters. */
  private static final int MAX_DATE_CHARS = 64;

  private static final Instant FIRST_DATE =
      LocalDate.of(Year.MIN_VALUE + 100, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
  private static final Instant LAST_DATE =
      LocalDate.of(Year.MAX_VALUE - 100, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();

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
   * @return the delay, at most {@link #MAX}; {@link Duration#ZERO} for a date in the past; empty
   *     for anything that is neither delta-seconds nor an HTTP-date (negative or fractional numbers
   *     included)
   */
  public static Optional<Duration> parse(String headerValue, Instant now) {
    try {
      return parseUnchecked(headerValue, now == null ? Instant.EPOCH : now);
    } catch (RuntimeException e) {
      // java.time throws DateTimeException for dates it can parse but not represent
      return Optional.empty();
    }
  }

  /**
   * The delay asked for by a response carrying {@code values} (every {@code Retry-After} header it
   * has). The field is a singleton; a receiver that sends several gets the longest valid one.
   */
  public static Optional<Duration> parse(List<String> values, Instant now) {
    Optional<Duration> longest = Optional.empty();
    if (values == null) {
      return longest;
    }
    for (String value : values) {
      Optional<Duration> d = parse(value, now);
      if (d.isPresent() && (longest.isEmpty() || d.get().compareTo(longest.get()) > 0)) {
        longest = d;
      }
    }
    return longest;
  }

  private static Optional<Duration> parseUnchecked(String headerValue, Instant now) {
    if (headerValue == null) {
      return Optional.empty();
    }
    String v = headerValue.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (DELTA_SECONDS.matcher(v).matches()) {
      return Optional.of(deltaSeconds(v));
    }
    if (v.length() > MAX_DATE_CHARS) {
      return Optional.empty();
    }
    for (DateTimeFormatter format : List.of(IMF_FIXDATE, rfc850(now), ASCTIME)) {
      Instant at;
      try {
        at = ZonedDateTime.parse(v, format).toInstant();
      } catch (DateTimeParseException e) {
        continue; // try the next form
      }
      return Optional.of(at.isAfter(now) ? clamp(Duration.between(now, at)) : Duration.ZERO);
    }
    return Optional.empty();
  }

  /** Digits only, any length (leading zeros included); more seconds than {@link #MAX} saturate. */
  private static Duration deltaSeconds(String digits) {
    int first = 0;
    while (first < digits.length() - 1 && digits.charAt(first) == '0') {
      first++;
    }
    String significant = digits.substring(first);
    // 18 digits always fit a long; anything longer is far beyond MAX anyway.
    if (significant.length() > 18) {
      return MAX;
    }
    return clamp(Duration.ofSeconds(Long.parseLong(significant)));
  }

  private static Duration clamp(Duration d) {
    return d.compareTo(MAX) > 0 ? MAX : d;
  }

  /**
   * RFC 850 dates have two-digit years; RFC 9110 reads a year more than 50 years in the future as
   * the most recent past year with those digits, which is a window of 100 years ending at now + 50.
   */
  private static DateTimeFormatter rfc850(Instant now) {
    // Clamped so that the window's base year exists even for a "now" at the ends of time (an
    // Instant reaches further than a date).
    Instant dated =
        now.isBefore(FIRST_DATE) ? FIRST_DATE : now.isAfter(LAST_DATE) ? LAST_DATE : now;
    int year = dated.atZone(ZoneOffset.UTC).getYear();
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
