package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A cron schedule as the API answers it (README, "Schedules").
 *
 * @param id {@code sch_} and 32 hex digits; the jobs it fires are {@code <id>.<epoch seconds>}
 * @param cron the expression
 * @param syntax {@code unix} (five fields) or {@code spring} (six, seconds first)
 * @param timeZone the IANA zone the expression is read in
 * @param job the job each firing creates, with the shard's defaults filled in
 * @param endAt no firing after this instant, or null
 * @param catchUp {@code fireOnce} or {@code skip}
 * @param status {@code active}, {@code paused} or {@code done} (past its end)
 * @param createdAt when the shard created it
 * @param lastFireAt the scheduled time of the latest job it fired, or null
 * @param nextFireAt the next scheduled time, or null once done
 * @param fired jobs it has fired
 * @param missed firings the catch-up policy skipped
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Schedule(
    String id,
    String cron,
    String syntax,
    String timeZone,
    JobRequest job,
    Instant endAt,
    String catchUp,
    String status,
    Instant createdAt,
    Instant lastFireAt,
    Instant nextFireAt,
    long fired,
    long missed) {

  public static final String ACTIVE = "active";
  public static final String PAUSED = "paused";
  public static final String DONE = "done";
}
