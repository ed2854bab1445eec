package dev.shardhook.node.job;

/**
 * What a schedule entry did, and the schedule after it (null when there is none).
 *
 * @param kind the outcome
 * @param schedule the schedule as stored after the entry, or null
 */
public record ScheduleResult(Kind kind, ScheduleRecord schedule) {
  public enum Kind {
    CREATED,
    EXISTING,
    MISMATCH,
    UPDATED,
    DELETED,
    NOT_FOUND,
    FIRED,
    IGNORED
  }
}
