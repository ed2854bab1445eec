package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The body of {@code POST /schedules} (README, "Schedules"): a cron expression in a time zone, and
 * the job it creates at each firing.
 *
 * <pre>{@code
 * ScheduleRequest request =
 *     ScheduleRequest.builder("0 9 * * 1-5", JobRequest.builder(URI.create("https://example.com/daily")).build())
 *         .timeZone("Europe/Paris")
 *         .build();
 * }</pre>
 *
 * @param cron five fields (Unix: minute hour day-of-month month day-of-week) or six (Spring: a
 *     seconds field first)
 * @param timeZone IANA zone the expression is read in; UTC when absent
 * @param job the job each firing creates: a {@code POST /jobs} body without {@code id}, {@code
 *     idempotencyKey}, {@code runAt}, {@code delayMs} or {@code orderingKey}
 * @param endAt no firing after this instant; never ends when absent
 * @param catchUp firings missed while the shard was down: {@code fireOnce} (default) or {@code
 *     skip}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleRequest(
    String cron, String timeZone, JobRequest job, Instant endAt, String catchUp) {

  /** The default catch-up policy: one job for the latest missed firing. */
  public static final String FIRE_ONCE = "fireOnce";

  /** The catch-up policy that fires none of the missed firings. */
  public static final String SKIP = "skip";

  /** Starts a schedule of {@code job} on {@code cron} (UTC, never ending, {@code fireOnce}). */
  public static Builder builder(String cron, JobRequest job) {
    return new Builder(Objects.requireNonNull(cron, "cron"), Objects.requireNonNull(job, "job"));
  }

  /** Collects a {@link ScheduleRequest}; the shard checks the expression. Not thread-safe. */
  public static final class Builder {
    private final String cron;
    private final JobRequest job;
    private String timeZone;
    private Instant endAt;
    private String catchUp;

    private Builder(String cron, JobRequest job) {
      this.cron = cron;
      this.job = job;
    }

    /** The IANA time zone, such as {@code Europe/Paris}. */
    public Builder timeZone(String timeZone) {
      this.timeZone = timeZone;
      return this;
    }

    /** No firing after {@code endAt}. */
    public Builder endAt(Instant endAt) {
      this.endAt = endAt;
      return this;
    }

    /** Missed firings: {@link #FIRE_ONCE} or {@link #SKIP}. */
    public Builder catchUp(String catchUp) {
      this.catchUp = catchUp;
      return this;
    }

    /**
     * @throws IllegalArgumentException for an unknown zone or catch-up policy, or a job with an id,
     *     key or start time of its own
     */
    public ScheduleRequest build() {
      if (timeZone != null) {
        try {
          ZoneId.of(timeZone);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("timeZone: unknown zone '" + timeZone + "'");
        }
      }
      if (catchUp != null && !catchUp.equals(FIRE_ONCE) && !catchUp.equals(SKIP)) {
        throw new IllegalArgumentException("catchUp: must be fireOnce or skip");
      }
      if (job.id() != null
          || job.idempotencyKey() != null
          || job.runAt() != null
          || job.delayMs() != null) {
        throw new IllegalArgumentException(
            "job: a schedule's job takes no id, idempotencyKey, runAt or delayMs");
      }
      if (job.orderingKey() != null) {
        throw new IllegalArgumentException(
            "job.orderingKey: not supported for scheduled jobs (they live on their schedule's"
                + " shard)");
      }
      return new ScheduleRequest(cron, timeZone, job, endAt, catchUp);
    }
  }
}
