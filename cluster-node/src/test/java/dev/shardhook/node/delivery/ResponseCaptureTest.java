package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.CapturedResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an attempt keeps of a real receiver's answer. */
class ResponseCaptureTest {
  private static final Instant STARTED = Instant.parse("2024-05-01T10:00:00Z");

  @StartStop public final MockWebServer server = new MockWebServer();

  private WebhookDelivery delivery;

  private WebhookDelivery delivery(long captureBytes) {
    delivery =
        new WebhookDelivery(
            NodeConfig.builder()
                .insecureNoAuth(true)
                .nodeId("a")
                .peers("a=127.0.0.1:9200")
                .workers(4)
                .allowPrivateTargets(true)
                .responseCaptureBytes(captureBytes)
                .build()
                .delivery());
    return delivery;
  }

  @AfterEach
  void close() {
    if (delivery != null) {
      delivery.close();
    }
  }

  private AttemptOutcome attempt() {
    return delivery.attempt(
        WebhookDeliveryTest.job("job-1", server.url("/hook").toString(), "POST", Map.of(), "{}"),
        1,
        STARTED);
  }

  @Test
  void keepsTheStatusAllowedHeadersAndTheBody() {
    delivery(4096);
    server.enqueue(
        new MockResponse.Builder()
            .code(500)
            .addHeader("Content-Type", "application/json")
            .addHeader("X-Request-Id", "r-81")
            .addHeader("Set-Cookie", "session=s3cr3t")
            .addHeader("X-Api-Key", "k-123")
            .addHeader("X-Internal", "not on the list")
            .addHeader("Retry-After", "7")
            .addHeader("Via", "1.1 a")
            .addHeader("Via", "1.1 b")
            .body("{\"error\":\"database down\"}")
            .build());

    AttemptOutcome outcome = attempt();

    assertThat(outcome.statusCode()).isEqualTo(500);
    assertThat(outcome.error()).isEqualTo("HTTP 500");
    assertThat(outcome.retryAfterMs()).isEqualTo(7_000L);
    CapturedResponse r = outcome.response();
    assertThat(r.body()).isEqualTo("{\"error\":\"database down\"}");
    assertThat(r.bodyTruncated()).isFalse();
    assertThat(r.headers())
        .containsEntry("content-type", "application/json")
        .containsEntry("x-request-id", "r-81")
        .containsEntry("retry-after", "7")
        .containsEntry("via", "1.1 a, 1.1 b")
        .doesNotContainKeys("set-cookie", "x-api-key", "x-internal");
    assertThat(r.headers().values()).noneMatch(v -> v.contains("s3cr3t") || v.contains("k-123"));
  }

  @Test
  void aLongBodyIsCutAtTheLimitAndMarked() {
    delivery(64);
    server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(100_000)).build());

    CapturedResponse r = attempt().response();

    assertThat(r.body()).isEqualTo("x".repeat(64));
    assertThat(r.bodyTruncated()).isTrue();
  }

  @Test
  void aBodyOfExactlyTheLimitIsNotMarkedCut() {
    delivery(64);
    server.enqueue(new MockResponse.Builder().code(200).body("y".repeat(64)).build());

    CapturedResponse r = attempt().response();

    assertThat(r.body()).isEqualTo("y".repeat(64));
    assertThat(r.bodyTruncated()).isFalse();
  }

  @Test
  void bytesThatAreNotUtf8BecomeReplacementCharactersAndACutCharacterIsDropped() {
    delivery(5);
    // "ab", a stray 0xFF, then the first two of the three bytes of U+2603 at the cut
    byte[] body = {'a', 'b', (byte) 0xFF, (byte) 0xE2, (byte) 0x98, (byte) 0x83, 'z'};
    server.enqueue(new MockResponse.Builder().code(200).body(new Buffer().write(body)).build());

    CapturedResponse r = attempt().response();

    assertThat(r.body()).isEqualTo("ab\uFFFD");
    assertThat(r.bodyTruncated()).isTrue();
  }

  @Test
  void manyAndLongHeadersAreCapped() {
    delivery(16);
    MockResponse.Builder answer = new MockResponse.Builder().code(503);
    for (String name : ResponseCapture.ALLOWED_HEADERS) {
      answer.addHeader(name, "v".repeat(1_000));
    }
    server.enqueue(answer.body("").build());

    CapturedResponse r = attempt().response();

    assertThat(r.headers()).hasSize(ResponseCapture.MAX_HEADERS);
    assertThat(r.headers().values()).allMatch(v -> v.length() == ResponseCapture.MAX_HEADER_CHARS);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void zeroKeepsNothing() {
    delivery(0);
    server.enqueue(
        new MockResponse.Builder()
            .code(500)
            .addHeader("X-Request-Id", "r-1")
            .body("{\"error\":1}")
            .build());

    AttemptOutcome outcome = attempt();

    assertThat(outcome.statusCode()).isEqualTo(500);
    assertThat(outcome.response()).isNull();
  }

  @Test
  void aNetworkErrorKeepsNoResponse() throws Exception {
    delivery(4096);
    String url = server.url("/hook").toString();
    server.close();

    AttemptOutcome outcome =
        delivery.attempt(WebhookDeliveryTest.job("job-1", url, "POST", Map.of(), "{}"), 1, STARTED);

    assertThat(outcome.statusCode()).isNull();
    assertThat(outcome.response()).isNull();
  }

  @Test
  void theLimitIsBounded() {
    assertThatThrownBy(() -> new ResponseCapture(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResponseCapture(ResponseCapture.MAX_BODY_BYTES + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ResponseCapture.decode("caf\u00e9".getBytes(StandardCharsets.UTF_8), false))
        .isEqualTo("caf\u00e9");
  }
}
