package dev.shardhook.node.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A parsed cron expression in its time zone (README, "Schedules"), by cron-utils: five fields are
 * Unix cron (minute first), six are Spring's (seconds first). Immutable and thread-safe.
 */
public final class CronSpec {
  public static final String UNIX = "unix";
  public static final String SPRING = "spring";

  private static final CronParser UNIX_PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SPRING_PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final String syntax;
  private final ZoneId zone;
  private final ExecutionTime times;

  private CronSpec(String syntax, ZoneId zone, ExecutionTime times) {
    this.syntax = syntax;
    this.zone = zone;
    this.times = times;
  }

  /**
   * @param timeZone IANA zone, or null for UTC
   * @throws IllegalArgumentException naming the field ({@code cron} or {@code timeZone})
   */
  public static CronSpec parse(String expression, String timeZone) {
    ZoneId zone;
    try {
      zone = timeZone == null ? ZoneId.of("UTC") : ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("timeZone: unknown zone '" + timeZone + "'");
    }
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("cron: required");
    }
    String trimmed = expression.trim();
    int fields = trimmed.split("\\s+").length;
    String syntax;
    CronParser parser;
    if (fields == 5) {
      syntax = UNIX;
      parser = UNIX_PARSER;
    } else if (fields == 6) {
      syntax = SPRING;
      parser = SPRING_PARSER;
    } else {
      throw new IllegalArgumentException(
          "cron: expected 5 fields (Unix) or 6 (seconds first), got " + fields);
    }
    Cron cron;
    try {
      cron = parser.parse(trimmed).validate();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cron: " + e.getMessage());
    }
    return new CronSpec(syntax, zone, ExecutionTime.forCron(cron));
  }

  /** {@link #UNIX} or {@link #SPRING}. */
  public String syntax() {
    return syntax;
  }

  public String zone() {
    return zone.getId();
  }

  /** The first firing strictly after {@code t}, if the expression has one. */
  public Optional<Instant> nextAfter(Instant t) {
    // Whole seconds: cron-utils steps from a second boundary, and no firing falls between them.
    ZonedDateTime from = t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atZone(zone);
    return times.nextExecution(from).map(ZonedDateTime::toInstant);
  }
}
