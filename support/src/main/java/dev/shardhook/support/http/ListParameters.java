package dev.shardhook.support.http;

import dev.shardhook.api.JobRules;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.ListFilter;
import dev.shardhook.api.problem.BadRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The query parameters of {@code GET /jobs} (README, "Listing jobs"), read and checked the same way
 * by the node and the proxy, in the same order, so both refuse bad input with the same words.
 *
 * @param limit the most jobs on the page
 * @param filter the filter the parameters ask for
 * @param idempotencyKey the {@code idempotencyKey} parameter, or null
 * @param cursor the {@code cursor} parameter, not yet decoded, or null
 */
public record ListParameters(int limit, ListFilter filter, String idempotencyKey, String cursor) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  // DNS names are at most 253 characters; a longer host matches no job.
  private static final int MAX_HOST = 253;

  /**
   * @throws BadRequestException for a parameter out of its range or format
   */
  public static ListParameters read(Exchange exchange) {
    int limit = limit(exchange.query("limit"));
    JobStatus status = status(exchange.query("status"));
    ListFilter asked =
        new ListFilter(
            status,
            host(exchange.query("host")),
            time(exchange, "createdAfter"),
            time(exchange, "createdBefore"),
            queue(exchange.query("queue")));
    return new ListParameters(
        limit, asked, exchange.query("idempotencyKey"), exchange.query("cursor"));
  }

  /** Refuses a cursor together with an idempotency key. */
  public void checkNoCursorWithKey() {
    if (cursor != null && idempotencyKey != null) {
      throw new BadRequestException("idempotencyKey: lists at most one job, so takes no cursor");
    }
  }

  /**
   * A cursor lists with its own filter: parameters may repeat it, not change it.
   *
   * @return the cursor's filter
   * @throws BadRequestException when a parameter differs from the cursor's filter
   */
  public ListFilter sameFilter(ListFilter ofCursor) {
    if (differs(filter.status(), ofCursor.status())
        || differs(filter.host(), ofCursor.host())
        || differs(filter.createdAfter(), ofCursor.createdAfter())
        || differs(filter.createdBefore(), ofCursor.createdBefore())
        || differs(filter.queue(), ofCursor.queue())) {
      throw new BadRequestException(
          "cursor: it was made for other filters; leave them out or send the same ones");
    }
    return ofCursor;
  }

  private static boolean differs(Object asked, Object cursor) {
    return asked != null && !Objects.equals(asked, cursor);
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadRequestException("limit: must be a whole number from 1 to " + MAX_LIMIT);
  }

  private static JobStatus status(String text) {
    if (text == null) {
      return null;
    }
    try {
      return JobStatus.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(
          "status: must be one of " + Arrays.toString(JobStatus.values()));
    }
  }

  private static String queue(String text) {
    if (text != null && !JobRules.isQueueName(text)) {
      throw new BadRequestException("queue: must match [A-Za-z0-9_-]{1,64}");
    }
    return text;
  }

  private static String host(String text) {
    if (text == null) {
      return null;
    }
    if (text.isEmpty() || text.length() > MAX_HOST) {
      throw new BadRequestException(
          "host: must be a host name of 1 to " + MAX_HOST + " characters");
    }
    return text;
  }

  private static Long time(Exchange exchange, String name) {
    String text = exchange.query(name);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new BadRequestException(
          name + ": must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }
}
