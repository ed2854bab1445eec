package dev.shardhook.api.problem;

import java.time.Duration;

/**
 * A tenant's quota (pending jobs on the shard, or submit rate) is used up; the detail says which.
 */
public final class QuotaExceededException extends RetryLaterException {
  public QuotaExceededException(String detail, Duration retryAfter) {
    super(429, ProblemTypes.QUOTA_EXCEEDED, "Quota exceeded", detail, retryAfter, null);
  }
}
