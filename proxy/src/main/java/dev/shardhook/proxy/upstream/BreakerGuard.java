package dev.shardhook.proxy.upstream;

import dev.shardhook.api.problem.BadGatewayException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The forwarding stage that guards a send with the node's circuit breaker and tells the breaker how
 * it went. A failure is a send that could not connect, broke off or timed out, an answer that is
 * not the job API's, or a 5xx other than 503 (503 is a node answering correctly that its group has
 * no leader).
 */
final class BreakerGuard {
  /**
   * @return empty, without sending, when the node's breaker refuses the call
   */
  Optional<Sent> send(UpstreamNode node, Supplier<Sent> send) {
    CircuitBreaker breaker = node.breaker();
    if (!breaker.tryAcquirePermission()) {
      return Optional.empty();
    }
    Sent sent;
    try {
      sent = send.get();
    } catch (RuntimeException e) {
      breaker.releasePermission();
      throw e;
    }
    record(breaker, sent);
    return Optional.of(sent);
  }

  private static void record(CircuitBreaker breaker, Sent sent) {
    long took = sent.tookNanos();
    if (sent.failure() != null) {
      breaker.onError(took, TimeUnit.NANOSECONDS, sent.failure());
      return;
    }
    NodeAnswer answer = sent.answer();
    if (!answer.isJobApiAnswer()) {
      breaker.onError(took, TimeUnit.NANOSECONDS, new BadGatewayException("not JSON"));
    } else if (answer.status() >= 500 && answer.status() != 503) {
      breaker.onError(took, TimeUnit.NANOSECONDS, new BadGatewayException("" + answer.status()));
    } else {
      breaker.onSuccess(took, TimeUnit.NANOSECONDS);
    }
  }
}
