package dev.shardhook.client;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs an {@link ApiCall} to completion: attempts on the current endpoint, and on failure asks a
 * Resilience4j {@link Retry} whether and how long to wait, moves to the next endpoint when this one
 * is unreachable or unavailable, and gives up at the deadline. The waits go through a {@link
 * Sleeper} on the calling thread, so tests need no real time.
 *
 * <p>Only these are retried: no answer (connection refused, reset or timed out), 429, 503 and 504
 * (a commit the shard did not confirm in time). A call that is not idempotent (cancel) is repeated
 * after no answer only when no connection was made, since the first request may otherwise have done
 * its work.
 */
final class RetryingTransport {
  private final HttpTransport transport;
  private final Retry retry;
  private final Duration totalDeadline;
  private final Clock clock;
  private final Sleeper sleeper;

  RetryingTransport(
      HttpTransport transport, ClientRetryConfig config, Clock clock, Sleeper sleeper) {
    this.transport = transport;
    this.totalDeadline = config.totalDeadline();
    this.clock = clock;
    this.sleeper = sleeper;
    this.retry =
        Retry.of(
            "shardhook-client",
            RetryConfig.custom()
                .maxAttempts(config.maxAttempts())
                .intervalBiFunction(new RetryDelays(config))
                .retryOnException(RetryingTransport::isTransient)
                .failAfterMaxAttempts(false)
                .build());
  }

  /** Runs {@code call} within the configured total deadline. */
  ApiResponse execute(ApiCall call) {
    return execute(call, clock.instant().plus(totalDeadline));
  }

  /** Runs {@code call}, starting no attempt or wait that would end after {@code deadline}. */
  ApiResponse execute(ApiCall call, Instant deadline) {
    Retry.AsyncContext<Object> context = retry.asyncContext();
    Endpoints endpoints = transport.endpoints();
    int endpoint = endpoints.preferred();
    while (true) {
      try {
        ApiResponse response =
            transport.send(endpoint, call, Duration.between(clock.instant(), deadline));
        context.onComplete();
        return response;
      } catch (ShardhookException e) {
        if (!safeToRepeat(call, e)) {
          throw e;
        }
        long waitMs = context.onError(e);
        if (waitMs < 0 || !clock.instant().plusMillis(waitMs).isBefore(deadline)) {
          throw e;
        }
        if (e instanceof ShardhookException.Unavailable) {
          endpoint = endpoints.failover(endpoint);
        }
        pause(Duration.ofMillis(waitMs), e);
      }
    }
  }

  private static boolean isTransient(Throwable e) {
    return e instanceof ShardhookException.QueueFull || e instanceof ShardhookException.Unavailable;
  }

  private static boolean safeToRepeat(ApiCall call, ShardhookException e) {
    return call.idempotent()
        || !(e instanceof ShardhookException.Unavailable u)
        || u.status() == 503
        || !u.reachedServer();
  }

  private void pause(Duration wait, ShardhookException last) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      last.addSuppressed(interrupted);
      throw last;
    }
  }
}
