package dev.shardhook.support.config;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;

/**
 * A circuit breaker's settings: it opens when at least {@code failureRatePercent} of the last
 * {@code window} calls failed, once {@code minCalls} were seen; stays open for {@code
 * openDuration}; then lets {@code halfOpenCalls} trial calls through to decide whether to close.
 */
public record BreakerConfig(
    Duration openDuration, int window, int minCalls, int failureRatePercent, int halfOpenCalls) {

  /** The Resilience4j breaker these settings describe: a count-based window. */
  public CircuitBreakerConfig circuitBreakerConfig() {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(window)
        .minimumNumberOfCalls(minCalls)
        .failureRateThreshold(failureRatePercent)
        .waitDurationInOpenState(openDuration)
        .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
        .build();
  }
}
