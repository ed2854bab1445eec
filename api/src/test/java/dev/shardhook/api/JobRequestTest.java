package dev.shardhook.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobRequestTest {
  private static final URI HOOK = URI.create("https://example.com/hook");

  private static JobRequest.Builder hook() {
    return JobRequest.builder(HOOK);
  }

  private static void refused(UnaryOperator<JobRequest.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(hook()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void defaultsToAPostWithNothingElse() throws Exception {
    JobRequest r = hook().build();

    assertThat(r)
        .isEqualTo(
            new JobRequest(
                "https://example.com/hook",
                "POST",
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    assertThat(WireJson.mapper().writeValueAsString(r))
        .isEqualTo("{\"url\":\"https://example.com/hook\",\"method\":\"POST\",\"headers\":{}}");
  }

  @Test
  void keepsTheWireFormatTheNodeReads() throws Exception {
    JobRequest r =
        hook()
            .method("patch")
            .header("X-A", "1")
            .header("x-a", "2")
            .body("{\"a\":1}".getBytes(StandardCharsets.UTF_8), "application/json")
            .id("order-1")
            .idempotencyKey("key 1")
            .runAt(Instant.parse("2030-01-01T00:00:00Z"))
            .timeout(Duration.ofMillis(1500))
            .retry(new RetrySpec(3, 10L, 20L, 1.5, 0L))
            .build();

    String json = WireJson.mapper().writeValueAsString(r);

    assertThat(WireJson.mapper().readTree(json))
        .isEqualTo(
            WireJson.mapper()
                .readTree(
                    """
                    {"url":"https://example.com/hook","method":"PATCH",
                     "headers":{"x-a":"2","Content-Type":"application/json"},
                     "body":"{\\"a\\":1}","id":"order-1","idempotencyKey":"key 1",
                     "runAt":"2030-01-01T00:00:00Z","timeoutMs":1500,
                     "retry":{"maxAttempts":3,"initialBackoffMs":10,"maxBackoffMs":20,
                              "multiplier":1.5,"maxRetryDurationMs":0}}
                    """));
    // The strict wire mapper, as the node uses it, reads it back to the same record.
    assertThat(WireJson.mapper().readValue(json, JobRequest.class)).isEqualTo(r);
  }

  @Test
  void queueAndOrderingKeyAreSentAndChecked() throws Exception {
    JobRequest r = hook().queue("billing").orderingKey("customer-42").build();
    String json = WireJson.mapper().writeValueAsString(r);
    assertThat(json).contains("\"queue\":\"billing\"").contains("\"orderingKey\":\"customer-42\"");
    assertThat(WireJson.mapper().readValue(json, JobRequest.class)).isEqualTo(r);
    assertThat(WireJson.mapper().writeValueAsString(hook().build()))
        .doesNotContain("queue")
        .doesNotContain("orderingKey");
    assertThatThrownBy(() -> hook().queue("a b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("queue:");
    assertThatThrownBy(() -> hook().orderingKey("x".repeat(257)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("orderingKey:");
  }

  @Test
  void delayIsSentInMilliseconds() {
    assertThat(hook().delay(Duration.ofMinutes(2)).build().delayMs()).isEqualTo(120_000L);
  }

  @Test
  void acceptsTheLimits() {
    JobRequest r =
        hook()
            .id("a".repeat(128))
            .idempotencyKey("~".repeat(255))
            .delay(Duration.ofDays(366))
            .timeout(Duration.ofSeconds(600))
            .body("x".repeat(256 * 1024))
            .build();
    assertThat(r.timeoutMs()).isEqualTo(600_000L);
    assertThat(hook().timeout(Duration.ofMillis(1)).delay(Duration.ZERO).build().delayMs())
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ftp://example.com/x", "example.com/x", "mailto:a@example.com", "http:///x"})
  void refusesUrlsThatAreNotAbsoluteHttp(String url) {
    assertThatThrownBy(() -> JobRequest.builder(URI.create(url)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("url: ");
  }

  @Test
  void refusesEachBadFieldByName() {
    refused(b -> b.method("HEAD"), "method: must be one of POST, GET, PUT, PATCH, DELETE");
    refused(b -> b.id("a/b"), "id: must match [A-Za-z0-9._:-]{1,128}");
    refused(b -> b.id("a".repeat(129)), "id: must match");
    refused(b -> b.id(""), "id: must match");
    refused(b -> b.idempotencyKey(""), "idempotencyKey: must be 1 to 255 printable ASCII");
    refused(b -> b.idempotencyKey("k".repeat(256)), "idempotencyKey: must be 1 to 255");
    refused(b -> b.idempotencyKey("caf\u00e9"), "idempotencyKey: must be 1 to 255");
    refused(
        b -> b.runAt(Instant.parse("2030-01-01T00:00:00Z")).delay(Duration.ofSeconds(1)),
        "delay: cannot be combined with runAt");
    refused(b -> b.delay(Duration.ofSeconds(-1)), "delay: must be between 0 and 366 days");
    refused(b -> b.delay(Duration.ofDays(367)), "delay: must be between 0 and 366 days");
    refused(b -> b.timeout(Duration.ZERO), "timeout: must be between 1 ms and 600 s");
    refused(b -> b.timeout(Duration.ofSeconds(601)), "timeout: must be between 1 ms and 600 s");
    refused(b -> b.body("x".repeat(256 * 1024 + 1)), "body: 262145 bytes in UTF-8");
    refused(b -> b.body("\u00e9".repeat(128 * 1024 + 1)), "body: 262146 bytes in UTF-8");
    refused(
        b -> b.body(new byte[] {(byte) 0xff}, "application/octet-stream"), "body: not valid UTF-8");
    refused(b -> b.header("Bad Name", "v"), "headers: 'Bad Name' is not a valid header name");
    refused(b -> b.header("webhook-id", "v"), "headers.webhook-id: reserved");
    refused(b -> b.header("Host", "v"), "headers.Host: reserved");
    refused(b -> b.header("X-A", "line\nbreak"), "headers.X-A: value must be printable ASCII");
    refused(b -> b.retry(0, Duration.ofSeconds(1), Duration.ofSeconds(2)), "retry.maxAttempts");
    refused(b -> b.retry(3, Duration.ofSeconds(2), Duration.ofSeconds(1)), "retry.maxBackoffMs");
    refused(b -> b.retry(new RetrySpec(null, null, null, 0.5, null)), "retry.multiplier");
  }

  @Test
  void theLastBodyWins() {
    JobRequest r = hook().body(new byte[] {'a'}, "text/plain").body("b").build();
    assertThat(r.body()).isEqualTo("b");
    assertThat(r.headers()).containsEntry("Content-Type", "text/plain");
  }

  @Test
  void theRequestIsImmutable() {
    JobRequest r = hook().header("X-A", "1").build();
    assertThatThrownBy(() -> r.headers().put("X-B", "2"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
