package dev.shardhook.client;

import dev.shardhook.api.QueueSpec;
import dev.shardhook.api.RetrySpec;

/**
 * A named queue's configuration for {@link ShardhookClient#putQueue} (README, "Queues"). A PUT
 * replaces the whole configuration: what is not set takes its default. Limits are queue-wide;
 * through a proxy each shard enforces its share.
 *
 * <pre>{@code
 * client.putQueue("billing", QueueConfig.builder().ratePerSecond(20).maxConcurrency(10).build());
 * }</pre>
 */
public final class QueueConfig {
  private final QueueSpec spec;

  private QueueConfig(QueueSpec spec) {
    this.spec = spec;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The request body this configuration sends. */
  public QueueSpec spec() {
    return spec;
  }

  /** Builds a {@link QueueConfig}; the server checks the values (400 naming the field). */
  public static final class Builder {
    private RetrySpec retry;
    private Integer maxConcurrency;
    private Double ratePerSecond;
    private Integer burst;
    private Boolean paused;
    private String orderingOnFailure;
    private String onDestinationDisabled;

    private Builder() {}

    /** Retry defaults for the queue's jobs; a job's own retry fields win. */
    public Builder retry(RetrySpec retry) {
      this.retry = retry;
      return this;
    }

    /** Attempts of the queue's jobs running at once, queue-wide (1 to 100,000). */
    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /** Attempts started per second, queue-wide (token bucket). */
    public Builder ratePerSecond(double ratePerSecond) {
      this.ratePerSecond = ratePerSecond;
      return this;
    }

    /** Attempts that may start at once after a quiet spell; default {@code ceil(rate)}. */
    public Builder burst(int burst) {
      this.burst = burst;
      return this;
    }

    /** Created paused: its jobs wait until {@link ShardhookClient#resumeQueue}. */
    public Builder paused(boolean paused) {
      this.paused = paused;
      return this;
    }

    /** {@code "block"} (default) or {@code "skip"}: an ordering key after a terminal failure. */
    public Builder orderingOnFailure(String orderingOnFailure) {
      this.orderingOnFailure = orderingOnFailure;
      return this;
    }

    /** {@code "wait"} (default) or {@code "fail"}: jobs for a disabled destination. */
    public Builder onDestinationDisabled(String onDestinationDisabled) {
      this.onDestinationDisabled = onDestinationDisabled;
      return this;
    }

    public QueueConfig build() {
      return new QueueConfig(
          new QueueSpec(
              retry,
              maxConcurrency,
              ratePerSecond,
              burst,
              paused,
              orderingOnFailure,
              onDestinationDisabled));
    }
  }
}
