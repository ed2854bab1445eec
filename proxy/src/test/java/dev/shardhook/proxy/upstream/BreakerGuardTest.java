package dev.shardhook.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.support.config.BreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BreakerGuardTest {
  private final CircuitBreaker breaker =
      CircuitBreaker.of(
          "s http://h:1",
          new BreakerConfig(Duration.ofMinutes(1), 10, 5, 50, 2).circuitBreakerConfig());
  private final UpstreamNode node =
      new UpstreamNode("s", URI.create("http://h:1"), breaker, Duration.ofMinutes(1));
  private final BreakerGuard guard = new BreakerGuard();

  @Test
  void a503IsASuccessButOther5xxAndNonApiAnswersAndIoFailuresAreFailures() {
    guard.send(node, () -> Sent.answered(answer(200, "application/json"), 1));
    guard.send(node, () -> Sent.answered(answer(503, "application/problem+json"), 1));
    guard.send(node, () -> Sent.answered(answer(502, "application/problem+json"), 1));
    guard.send(node, () -> Sent.answered(answer(200, "text/html"), 1));
    guard.send(node, () -> Sent.failed(new IOException("reset"), 1));

    assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
    assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
  }

  @Test
  void anOpenBreakerRefusesWithoutSending() {
    breaker.transitionToForcedOpenState();
    AtomicInteger sends = new AtomicInteger();

    assertThat(guard.send(node, () -> Sent.answered(answer(200, null), sends.incrementAndGet())))
        .isEmpty();
    assertThat(sends).hasValue(0);
  }

  @Test
  void aBugInTheSendGivesThePermissionBack() {
    breaker.transitionToOpenState();
    breaker.transitionToHalfOpenState();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(
              () ->
                  guard.send(
                      node,
                      () -> {
                        throw new IllegalStateException("bug");
                      }))
          .isInstanceOf(IllegalStateException.class);
    }

    assertThat(breaker.tryAcquirePermission())
        .as("half open lets 2 calls through; none was used up")
        .isTrue();
  }

  private static NodeAnswer answer(int status, String contentType) {
    return new NodeAnswer(status, contentType, new byte[0], Map.of());
  }
}
