package dev.shardhook.node.job;

/**
 * A cron schedule as the log and the store hold it (README, "Schedules"). Times are epoch
 * milliseconds from log entries, never from a replica's clock.
 *
 * @param id scoped id ({@link TenantIds}), {@code sch_…}
 * @param cron the expression
 * @param syntax {@code unix} or {@code spring}
 * @param timeZone IANA zone
 * @param template the job each firing creates, as the JSON of a resolved {@code JobRequest}
 * @param fingerprint of the create request, to tell a retry from a conflicting reuse of its key
 * @param endAtMs no firing after this, or null
 * @param catchUp {@code fireOnce} or {@code skip}
 * @param paused whether firings are held
 * @param createdAtMs the leader's time of the create entry
 * @param lastFireAtMs scheduled time of the latest fired job, or null
 * @param nextFireAtMs next scheduled time, or null once done; firings before it are handled
 * @param fired jobs fired
 * @param missed firings skipped by the catch-up policy
 */
public record ScheduleRecord(
    String id,
    String cron,
    String syntax,
    String timeZone,
    String template,
    String fingerprint,
    Long endAtMs,
    String catchUp,
    boolean paused,
    long createdAtMs,
    Long lastFireAtMs,
    Long nextFireAtMs,
    long fired,
    long missed) {

  /** Whether it will fire no more (past its end). */
  public boolean done() {
    return nextFireAtMs == null;
  }

  public ScheduleRecord created(long atMs) {
    return new ScheduleRecord(
        id,
        cron,
        syntax,
        timeZone,
        template,
        fingerprint,
        endAtMs,
        catchUp,
        paused,
        atMs,
        null,
        nextFireAtMs,
        0,
        0);
  }

  /** Paused, or resumed with its next firing at {@code next} (firings while paused are dropped). */
  public ScheduleRecord paused(boolean pause, Long next) {
    return new ScheduleRecord(
        id,
        cron,
        syntax,
        timeZone,
        template,
        fingerprint,
        endAtMs,
        catchUp,
        pause,
        createdAtMs,
        lastFireAtMs,
        pause ? nextFireAtMs : next,
        fired,
        missed);
  }

  /** After handling the firing at {@code fireAtMs}: fired or not, and firings skipped before it. */
  public ScheduleRecord advanced(long fireAtMs, boolean fire, int skipped, Long next) {
    return new ScheduleRecord(
        id,
        cron,
        syntax,
        timeZone,
        template,
        fingerprint,
        endAtMs,
        catchUp,
        paused,
        createdAtMs,
        fire ? Long.valueOf(fireAtMs) : lastFireAtMs,
        next,
        fired + (fire ? 1 : 0),
        missed + skipped);
  }
}
