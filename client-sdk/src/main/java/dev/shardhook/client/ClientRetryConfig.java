package dev.shardhook.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ShardhookClient} retries its own calls (not how a shard retries deliveries: that is
 * the job's {@link RetrySpec}). Immutable; start from {@link #ofDefaults()}, {@link #custom()} or
 * {@link #from(ClientRetryConfig)}.
 *
 * <p>A call is retried when no connection could be made, the connection failed or timed out, or the
 * server answered 429 or 503. The wait before attempt {@code n + 1} is {@code initialBackoff *
 * multiplier^(n - 1)}, capped at {@code maxBackoff}, minus a random share of up to {@code jitter};
 * a {@code Retry-After} from the server is a floor. No attempt starts, and no wait is begun, that
 * would end past {@code totalDeadline} from the start of the call: the call then fails with the
 * last error.
 */
public final class ClientRetryConfig {
  /** Attempts in all, the first included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** Wait before the second attempt. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);

  /** Cap of one wait computed by backoff (a server's {@code Retry-After} may ask for more). */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  /** Growth of the wait per attempt. */
  public static final double DEFAULT_MULTIPLIER = 2.0;

  /** Up to this share of each wait is taken off at random, so clients do not retry in step. */
  public static final double DEFAULT_JITTER = 0.5;

  /** Bound of one call with all its attempts and waits. */
  public static final Duration DEFAULT_TOTAL_DEADLINE = Duration.ofSeconds(30);

  private static final ClientRetryConfig DEFAULTS = custom().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final Duration totalDeadline;

  private ClientRetryConfig(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.totalDeadline = b.totalDeadline;
  }

  /** The {@code DEFAULT_*} values. */
  public static ClientRetryConfig ofDefaults() {
    return DEFAULTS;
  }

  /** One attempt per call: failures reach the caller at once. */
  public static ClientRetryConfig disabled() {
    return custom().maxAttempts(1).build();
  }

  /** A builder starting from the defaults. */
  public static Builder custom() {
    return new Builder();
  }

  /** A builder starting from {@code base}. */
  public static Builder from(ClientRetryConfig base) {
    Objects.requireNonNull(base, "base");
    return new Builder()
        .maxAttempts(base.maxAttempts)
        .initialBackoff(base.initialBackoff)
        .maxBackoff(base.maxBackoff)
        .multiplier(base.multiplier)
        .jitter(base.jitter)
        .totalDeadline(base.totalDeadline);
  }

  /** Attempts in all, the first included; 1 means no retries. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Wait before the second attempt, before jitter. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** Cap of one backoff wait. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** Growth of the wait per attempt. */
  public double multiplier() {
    return multiplier;
  }

  /** Largest share of a wait taken off at random, in [0, 1). */
  public double jitter() {
    return jitter;
  }

  /** Bound of one call with all its attempts and waits. */
  public Duration totalDeadline() {
    return totalDeadline;
  }

  /** The backoff wait after failed attempt {@code attempt} (1-based), before jitter. */
  Duration backoff(int attempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }

  @Override
  public String toString() {
    return "ClientRetryConfig{maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", multiplier="
        + multiplier
        + ", jitter="
        + jitter
        + ", totalDeadline="
        + totalDeadline
        + "}";
  }

  /** Collects a {@link ClientRetryConfig}; each setter checks its value. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private double jitter = DEFAULT_JITTER;
    private Duration totalDeadline = DEFAULT_TOTAL_DEADLINE;

    private Builder() {}

    /** Attempts in all, at least 1. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts: must be at least 1, got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Wait before the second attempt, at least 1 ms. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = atLeastOneMilli(initialBackoff, "initialBackoff");
      return this;
    }

    /** Cap of one backoff wait, at least 1 ms and not below {@code initialBackoff}. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = atLeastOneMilli(maxBackoff, "maxBackoff");
      return this;
    }

    /** Growth per attempt, at least 1.0. */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier: must be at least 1.0, got " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** Largest share of a wait taken off at random, in [0, 1); 0 for none. */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0.0 && jitter < 1.0)) {
        throw new IllegalArgumentException("jitter: must be in [0, 1), got " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /** Bound of one call with all its attempts and waits, at least 1 ms. */
    public Builder totalDeadline(Duration totalDeadline) {
      this.totalDeadline = atLeastOneMilli(totalDeadline, "totalDeadline");
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException if {@code maxBackoff} is below {@code initialBackoff}
     */
    public ClientRetryConfig build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff: must not be below initialBackoff ("
                + initialBackoff
                + "), got "
                + maxBackoff);
      }
      return new ClientRetryConfig(this);
    }

    private static Duration atLeastOneMilli(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(name + ": must be at least 1 ms, got " + d);
      }
      return d;
    }
  }
}
