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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(
    int number, Instant startedAt, long durationMs, Integer statusCode, String error) {}
