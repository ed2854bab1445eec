package dev.shardhook.node.http;

import dev.shardhook.api.JobList;
import dev.shardhook.api.JobStatus;
import dev.shardhook.api.problem.BadRequestException;
import dev.shardhook.node.job.JobPage;
import dev.shardhook.node.job.JobQuery;
import dev.shardhook.node.job.JobService;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.support.http.Exchange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** {@code GET /jobs}: a page of the caller's jobs on this shard, newest first. */
record ListJobs(JobService jobs) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  // DNS names are at most 253 characters; a longer host matches no job.
  private static final int MAX_HOST = 253;

  void list(Exchange exchange) {
    String tenant = exchange.tenant();
    int limit = limit(exchange.query("limit"));
    JobStatus status = status(exchange.query("status"));
    ListCursor.Filter asked =
        new ListCursor.Filter(
            status == null ? null : state(status),
            host(exchange.query("host")),
            time(exchange, "createdAfter"),
            time(exchange, "createdBefore"));
    String key = exchange.query("idempotencyKey");
    String cursorText = exchange.query("cursor");
    ListCursor cursor = cursorText == null ? null : ListCursor.decode(cursorText);
    if (cursor != null && key != null) {
      throw new BadRequestException("idempotencyKey: lists at most one job, so takes no cursor");
    }
    ListCursor.Filter filter = cursor == null ? asked : sameFilter(asked, cursor.filter());
    // No stored job is RUNNING: only the leader knows an attempt is in flight.
    if (status == JobStatus.RUNNING) {
      exchange.sendJson(200, new JobList(List.of(), null));
      return;
    }
    JobQuery query =
        new JobQuery(
            tenant,
            filter.status(),
            filter.host(),
            filter.createdAfter(),
            filter.createdBefore(),
            key == null ? null : TenantIds.scoped(tenant, key),
            limit,
            cursor == null
                ? null
                : new JobQuery.Position(
                    cursor.createdAtMs(), TenantIds.scoped(tenant, cursor.id())));
    JobPage page = Await.result(jobs.list(query));
    String next =
        page.next() == null
            ? null
            : new ListCursor(
                    filter, page.next().createdAtMs(), TenantIds.publicId(page.next().id()))
                .encode();
    exchange.sendJson(200, new JobList(page.jobs().stream().map(WireJobs::job).toList(), next));
  }

  /** A cursor lists with its own filter: parameters may repeat it, not change it. */
  private static ListCursor.Filter sameFilter(ListCursor.Filter asked, ListCursor.Filter cursor) {
    if (differs(asked.status(), cursor.status())
        || differs(asked.host(), cursor.host())
        || differs(asked.createdAfter(), cursor.createdAfter())
        || differs(asked.createdBefore(), cursor.createdBefore())) {
      throw new BadRequestException(
          "cursor: it was made for other filters; leave them out or send the same ones");
    }
    return cursor;
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

  private static JobState state(JobStatus status) {
    return status == JobStatus.RUNNING ? null : JobState.valueOf(status.name());
  }

  private static String host(String text) {
    if (text == null) {
      return null;
    }
    if (text.isEmpty() || text.length() > MAX_HOST) {
      throw new BadRequestException(
          "host: must be a host name of 1 to " + MAX_HOST + " characters");
    }
    return text.toLowerCase(Locale.ROOT);
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
