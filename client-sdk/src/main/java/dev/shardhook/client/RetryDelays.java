package dev.shardhook.client;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Resilience4j's interval function for client calls: exponential backoff with subtractive jitter,
 * and never less than the server's {@code Retry-After}.
 */
final class RetryDelays implements IntervalBiFunction<Object> {
  private final ClientRetryConfig config;
  private final DoubleSupplier random;

  RetryDelays(ClientRetryConfig config) {
    this(config, () -> ThreadLocalRandom.current().nextDouble());
  }

  RetryDelays(ClientRetryConfig config, DoubleSupplier random) {
    this.config = config;
    this.random = random;
  }

  /**
   * @param attempt the number of failed attempts so far, 1-based
   * @param outcome the last failure
   * @return milliseconds to wait before the next attempt
   */
  @Override
  public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
    long backoff = config.backoff(attempt).toMillis();
    long jittered = Math.max(1, Math.round(backoff * (1 - config.jitter() * random.getAsDouble())));
    Duration floor = outcome.isLeft() ? retryAfter(outcome.getLeft()) : Duration.ZERO;
    return Math.max(jittered, floor.toMillis());
  }

  private static Duration retryAfter(Throwable failure) {
    if (failure instanceof ShardhookException.QueueFull q) {
      return q.retryAfter().orElse(Duration.ZERO);
    }
    if (failure instanceof ShardhookException.Unavailable u) {
      return u.retryAfter().orElse(Duration.ZERO);
    }
    return Duration.ZERO;
  }
}
