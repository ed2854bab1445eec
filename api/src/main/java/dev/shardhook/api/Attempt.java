package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One delivery attempt of a job.
 *
 * @param number 1 for the first attempt
 * @param startedAt when the request was sent
 * @param durationMs how long until the answer or the error
 * @param statusCode the receiver's HTTP status, absent on a network error or timeout
 * @param error what went wrong, absent on success
 * @param response what was kept of the receiver's answer; absent when it did not answer, when
 *     capture is off, or for attempts recorded before capture existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(
    int number,
    Instant startedAt,
    long durationMs,
    Integer statusCode,
    String error,
    AttemptResponse response) {
  /** An attempt with nothing kept of the answer. */
  public Attempt(int number, Instant startedAt, long durationMs, Integer statusCode, String error) {
    this(number, startedAt, durationMs, statusCode, error, null);
  }
}
