package dev.shardhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A job's retry policy on the wire. Every field is optional in a request; the shard fills in its
 * defaults and the job it returns carries the resolved values.
 *
 * @param maxAttempts attempts in all, the first one included (1 = never retry)
 * @param initialBackoffMs backoff before the second attempt
 * @param maxBackoffMs cap of a single backoff
 * @param multiplier growth of the backoff per attempt
 * @param maxRetryDurationMs give up once this long has passed since the job was created (0 = no
 *     limit)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetrySpec(
    Integer maxAttempts,
    Long initialBackoffMs,
    Long maxBackoffMs,
    Double multiplier,
    Long maxRetryDurationMs) {}
