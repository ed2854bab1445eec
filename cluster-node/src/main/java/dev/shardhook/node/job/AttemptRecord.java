package dev.shardhook.node.job;

import java.time.Duration;
import java.time.Instant;

/**
 * One recorded delivery attempt of a job.
 *
 * @param number 1 for the first attempt
 * @param startedAt when the request was sent
 * @param duration until the answer or the error (millisecond precision)
 * @param statusCode the receiver's HTTP status, null on a network error or timeout
 * @param error what went wrong, null on success
 * @param response what was kept of the receiver's answer, null when nothing was
 */
public record AttemptRecord(
    int number,
    Instant startedAt,
    Duration duration,
    Integer statusCode,
    String error,
    CapturedResponse response) {
  public AttemptRecord {
    duration = duration == null ? Duration.ZERO : duration;
  }

  /** An attempt that kept nothing of the answer. */
  public AttemptRecord(
      int number, Instant startedAt, Duration duration, Integer statusCode, String error) {
    this(number, startedAt, duration, statusCode, error, null);
  }

  /** The attempt an outcome reports. */
  public static AttemptRecord of(AttemptOutcome outcome) {
    return new AttemptRecord(
        outcome.attemptNumber(),
        outcome.startedAt(),
        Duration.ofMillis(outcome.durationMs()),
        outcome.statusCode(),
        outcome.error(),
        outcome.response());
  }
}
