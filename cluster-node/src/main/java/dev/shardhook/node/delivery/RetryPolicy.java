package dev.shardhook.node.delivery;

import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.RetrySettings;
import java.time.Duration;
import java.time.Instant;

/**
 * What happens to a job after an attempt: done, retried at a given time, or failed.
 *
 * <p>Everything here is pure and deterministic: {@link #decide} runs inside the state machine's
 * {@code applyTransaction}, on every replica, so it must not read a clock or a random source. The
 * leader puts the attempt's times and the jitter into the log entry and every replica computes the
 * same decision from them.
 *
 * <p>Defaults ({@link RetrySettings#DEFAULTS}): 10 attempts in all, backoff starting at 1 s and
 * doubling up to 1 h, no overall time limit, jittered as below.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>2xx succeeds. A permanent outcome (refused target, malformed request) fails at once.
 *   <li>Network errors and timeouts (no status), 408, 425, 429 and 5xx are retried; every other
 *       status (1xx, 3xx, other 4xx) fails the job at once.
 *   <li>After attempt {@code n} the exponential backoff is {@code e = min(maxBackoff, initial *
 *       multiplier^k)} with {@code k = n - 1}, and the delay is drawn uniformly from {@code [e /
 *       10, e)}: {@code e * (0.1 + 0.9 * jitter)}. Full jitter would spread retries the same way
 *       but may schedule one at once, which hammers a receiver that is already failing; the 10 %
 *       floor keeps attempts spaced.
 *   <li>On 429 or 503 a {@code Retry-After} replaces the backoff, capped at {@code min(4 *
 *       maxBackoff, 24 h)} so a receiver cannot park a job for ever.
 *   <li>The job fails once it has had {@code maxAttempts} attempts, or when the next attempt would
 *       start later than {@code createdAt + maxRetryDuration} (if that is not 0).
 * </ul>
 */
public final class RetryPolicy {
  static final long MAX_RETRY_AFTER_MS = RetryAfter.MAX.toMillis();

  /** The latest retry time: the largest instant with an epoch-millisecond key. */
  static final Instant LATEST_ATTEMPT_AT = Instant.ofEpochMilli(Long.MAX_VALUE);

  private RetryPolicy() {}

  /** The outcome of {@link #decide}; {@code nextAttemptAt} is set only for {@link Kind#RETRY}. */
  public record RetryDecision(Kind kind, Instant nextAttemptAt) {
    public enum Kind {
      SUCCEEDED,
      RETRY,
      FAILED
    }

    public RetryDecision {
      if ((kind == Kind.RETRY) != (nextAttemptAt != null)) {
        throw new IllegalArgumentException("nextAttemptAt is set exactly when kind is RETRY");
      }
    }

    static RetryDecision succeeded() {
      return new RetryDecision(Kind.SUCCEEDED, null);
    }

    static RetryDecision failed() {
      return new RetryDecision(Kind.FAILED, null);
    }

    static RetryDecision retryAt(Instant at) {
      return new RetryDecision(Kind.RETRY, at);
    }
  }

  /**
   * Decides what follows {@code outcome}.
   *
   * <p>Total: runs in {@code applyTransaction}, so it never throws, whatever the policy, times or
   * outcome hold (nulls, values near {@code Long.MAX_VALUE}, instants near {@link Instant#MIN} or
   * {@link Instant#MAX}): arithmetic saturates, and a retry time is clamped to {@link
   * #LATEST_ATTEMPT_AT} so it always has an epoch-millisecond key in the due index.
   *
   * @param policy the job's resolved policy; null reads as {@link RetrySettings#DEFAULTS}
   * @param createdAt when the job was accepted (start of {@code maxRetryDuration})
   * @param outcome the attempt; "now" is its {@code startedAt + durationMs}
   * @param jitter in [0, 1), drawn by the leader and carried in the log entry; values outside are
   *     clamped
   */
  public static RetryDecision decide(
      RetrySettings policy, Instant createdAt, AttemptOutcome outcome, double jitter) {
    return decide(policy, createdAt, 0, outcome, jitter);
  }

  /**
   * As {@link #decide(RetrySettings, Instant, AttemptOutcome, double)} for a job that was replayed:
   * only the attempts after the first {@code attemptsBefore} count against {@code maxAttempts} and
   * the backoff, and {@code budgetStart} (the replay) starts {@code maxRetryDuration}.
   */
  public static RetryDecision decide(
      RetrySettings policy,
      Instant budgetStart,
      int attemptsBefore,
      AttemptOutcome outcome,
      double jitter) {
    if (outcome == null) {
      return RetryDecision.failed();
    }
    RetrySettings p = policy == null ? RetrySettings.DEFAULTS : policy;
    Integer status = outcome.statusCode();
    if (status != null && status >= 200 && status <= 299) {
      return RetryDecision.succeeded();
    }
    if (outcome.permanent() || !isRetryable(status)) {
      return RetryDecision.failed();
    }
    int attempt = outcome.attemptNumber() - Math.max(0, attemptsBefore);
    if (attempt >= p.maxAttempts()) {
      return RetryDecision.failed();
    }
    Instant now = plusMillis(clamp(outcome.startedAt()), Math.max(0, outcome.durationMs()));
    long maxBackoff = Math.max(1, millis(p.maxBackoff()));
    long delayMs;
    if ((status != null && (status == 429 || status == 503)) && outcome.retryAfterMs() != null) {
      long cap = Math.min(saturatedMultiply(maxBackoff, 4), MAX_RETRY_AFTER_MS);
      delayMs = Math.min(Math.max(0, outcome.retryAfterMs()), cap);
    } else {
      delayMs = backoffMs(p, attempt, jitter);
    }
    Instant next = plusMillis(now, delayMs);
    long limit = millis(p.maxRetryDuration());
    if (limit > 0 && budgetStart != null && millisBetween(budgetStart, next) > limit) {
      return RetryDecision.failed();
    }
    return RetryDecision.retryAt(next);
  }

  /** {@code t + ms}, saturating at the bounds of {@link #clamp}. */
  static Instant plusMillis(Instant t, long ms) {
    long base = clamp(t).toEpochMilli();
    long sum = base + ms;
    // Overflow iff both operands have the sign the result lacks.
    if (((base ^ sum) & (ms ^ sum)) < 0) {
      sum = ms > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return clamp(Instant.ofEpochMilli(sum));
  }

  /** Into {@code [EPOCH, LATEST_ATTEMPT_AT]}; null reads as the epoch. */
  static Instant clamp(Instant t) {
    if (t == null || t.isBefore(Instant.EPOCH)) {
      return Instant.EPOCH;
    }
    return t.isAfter(LATEST_ATTEMPT_AT) ? LATEST_ATTEMPT_AT : t;
  }

  /** {@code to - from} in milliseconds, saturating instead of overflowing. */
  static long millisBetween(Instant from, Instant to) {
    long seconds;
    try {
      seconds = Math.subtractExact(to.getEpochSecond(), from.getEpochSecond());
    } catch (ArithmeticException e) {
      return to.isAfter(from) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    long nanos = (long) to.getNano() - from.getNano();
    long ms = saturatedMultiply(seconds, 1000);
    long frac = Math.floorDiv(nanos, 1_000_000L);
    long sum = ms + frac;
    if (((ms ^ sum) & (frac ^ sum)) < 0) {
      return frac > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return sum;
  }

  /** {@code d} in milliseconds, saturating: a policy built in code may hold any duration. */
  private static long millis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
      return low;
    }
    return (a < 0) == (b < 0) ? Long.MAX_VALUE : Long.MIN_VALUE;
  }

  /**
   * Whether an attempt that ended with this status (null: network error or timeout) may be retried.
   */
  public static boolean isRetryable(Integer statusCode) {
    if (statusCode == null) {
      return true;
    }
    int s = statusCode;
    return s == 408 || s == 425 || s == 429 || (s >= 500 && s <= 599);
  }

  /** The jittered backoff after attempt {@code attemptNumber} (1-based), at least 1 ms. */
  static long backoffMs(RetrySettings policy, int attemptNumber, double jitter) {
    // Doubles saturate at infinity rather than wrap, and Math.round saturates at Long.MAX_VALUE;
    // the clamps keep NaN and negative fields (never resolved, but apply must survive them) out.
    double max = Math.max(1, millis(policy.maxBackoff()));
    double initial = Math.max(1, millis(policy.initialBackoff()));
    double multiplier = policy.multiplier();
    if (Double.isNaN(multiplier) || multiplier < 1) {
      multiplier = 1;
    }
    double exponential =
        Math.min(max, initial * Math.pow(multiplier, Math.max(0, attemptNumber - 1)));
    double j = Double.isNaN(jitter) ? 0 : Math.min(Math.max(jitter, 0), 1);
    return Math.max(1, Math.round(exponential * (0.1 + 0.9 * j)));
  }
}
