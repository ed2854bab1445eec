package dev.shardhook.proxy.upstream;

import dev.shardhook.api.problem.GatewayTimeoutException;
import java.time.Duration;

/** The one deadline all tries of a forward share; past it the answer is 504. */
final class ForwardDeadline {
  private final String shardId;
  private final long deadlineNanos;

  ForwardDeadline(String shardId, Duration timeout) {
    this.shardId = shardId;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  /**
   * @throws GatewayTimeoutException when no time is left
   */
  long remainingNanos() {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw timeout();
    }
    return remaining;
  }

  boolean passed() {
    return deadlineNanos - System.nanoTime() <= 0;
  }

  GatewayTimeoutException timeout() {
    return new GatewayTimeoutException(
        "shard '"
            + shardId
            + "' did not answer within the forward timeout; the request may still take effect");
  }
}
