package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.NodeConfig;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.CapturedResponse;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.JobState;
import dev.shardhook.node.job.RetrySettings;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {
  private static final String SECRET = WebhookSignerTest.SPEC_SECRET;
  private static final Instant STARTED = Instant.parse("2024-05-01T10:00:00.750Z");

  @StartStop public final MockWebServer server = new MockWebServer();

  private WebhookDelivery delivery;

  static DeliveryConfig config(boolean allowPrivate) {
    return NodeConfig.builder()
        .insecureNoAuth(true)
        .nodeId("a")
        .peers("a=127.0.0.1:9200")
        .workers(4)
        .allowPrivateTargets(allowPrivate)
        .signingSecret(SECRET)
        .build()
        .delivery();
  }

  static JobRecord job(
      String id, String url, String method, Map<String, String> headers, String body) {
    return new JobRecord(
        id,
        "shard-0",
        JobState.PENDING,
        url,
        method,
        headers,
        body,
        null,
        Duration.ofMillis(5_000),
        RetrySettings.DEFAULTS,
        STARTED,
        STARTED,
        null,
        List.of());
  }

  @AfterEach
  void close() {
    if (delivery != null) {
      delivery.close();
    }
  }

  @Test
  void sendsTheJobWithWebhookHeadersAndAVerifiableSignature() throws Exception {
    delivery = new WebhookDelivery(config(true));
    server.enqueue(new MockResponse.Builder().code(204).build());
    String body = "{\"order\":42,\"note\":\"caf\u00e9\"}";
    JobRecord job =
        job(
            "job-1",
            server.url("/hooks/orders?x=1").toString(),
            "POST",
            Map.of("X-Tenant", "acme", "Content-Type", "application/cloudevents+json"),
            body);

    AttemptOutcome outcome = delivery.attempt(job, 1, STARTED);

    assertThat(outcome)
        .isEqualTo(
            new AttemptOutcome(
                "job-1",
                1,
                STARTED,
                outcome.durationMs(),
                204,
                null,
                null,
                false,
                new CapturedResponse(Map.of("content-length", "0"), "", false)));
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/hooks/orders");
    assertThat(r.getUrl().queryParameter("x")).isEqualTo("1");
    assertThat(r.getBody().utf8()).isEqualTo(body);
    assertThat(r.getHeaders().get("X-Tenant")).isEqualTo("acme");
    assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/cloudevents+json");
    assertThat(r.getHeaders().get("webhook-id")).isEqualTo("job-1");
    assertThat(r.getHeaders().get("webhook-timestamp")).isEqualTo("1714557600");
    assertThat(r.getHeaders().get("Idempotency-Key")).isEqualTo("job-1");
    assertThat(r.getHeaders().get("User-Agent")).matches("Shardhook/\\S+");

    // verify as a receiver would, without the signer
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring(6)), "HmacSHA256"));
    byte[] expected = mac.doFinal(("job-1.1714557600." + body).getBytes(StandardCharsets.UTF_8));
    assertThat(r.getHeaders().get("webhook-signature"))
        .isEqualTo("v1," + Base64.getEncoder().encodeToString(expected));
  }

  @Test
  void usesTheClientsKeyDefaultsToJsonAndAllowsBodilessGet() throws Exception {
    delivery = new WebhookDelivery(config(true), new TargetGuard(true), null);
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    JobRecord post =
        new JobRecord(
            "job-2",
            "shard-0",
            JobState.PENDING,
            server.url("/").toString(),
            null,
            Map.of("Host", "evil.example", "webhook-id", "forged"),
            "{}",
            "key-7",
            Duration.ofMillis(5_000),
            RetrySettings.DEFAULTS,
            STARTED,
            STARTED,
            null,
            List.of());
    JobRecord get = job("job-3", server.url("/ping").toString(), "GET", Map.of(), null);

    assertThat(delivery.attempt(post, 3, STARTED).statusCode()).isEqualTo(200);
    assertThat(delivery.attempt(get, 1, STARTED).statusCode()).isEqualTo(200);

    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json");
    assertThat(r.getHeaders().get("Idempotency-Key")).isEqualTo("key-7");
    assertThat(r.getHeaders().values("webhook-id")).containsExactly("job-2");
    assertThat(r.getHeaders().get("Host")).isNotEqualTo("evil.example");
    assertThat(r.getHeaders().get("webhook-signature")).isNull();
    RecordedRequest g = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(g.getMethod()).isEqualTo("GET");
    assertThat(g.getBodySize()).isZero();
    assertThat(g.getHeaders().get("Content-Type")).isNull();
  }

  @Test
  void reports503WithItsRetryAfter() {
    delivery = new WebhookDelivery(config(true));
    server.enqueue(
        new MockResponse.Builder().code(503).addHeader("Retry-After", "7").body("busy").build());

    AttemptOutcome outcome =
        delivery.attempt(
            job("job-4", server.url("/").toString(), "POST", Map.of(), "{}"), 2, STARTED);

    assertThat(outcome.statusCode()).isEqualTo(503);
    assertThat(outcome.error()).isEqualTo("HTTP 503");
    assertThat(outcome.retryAfterMs()).isEqualTo(7_000L);
    assertThat(outcome.attemptNumber()).isEqualTo(2);
    assertThat(outcome.permanent()).isFalse();
  }

  @Test
  void reportsOtherStatusesAndDiscardsLargeBodies() {
    delivery = new WebhookDelivery(config(true));
    server.enqueue(new MockResponse.Builder().code(404).build());
    server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(1 << 20)).build());
    String url = server.url("/").toString();

    AttemptOutcome notFound =
        delivery.attempt(job("job-5", url, "POST", Map.of(), "{}"), 1, STARTED);
    AttemptOutcome big = delivery.attempt(job("job-6", url, "POST", Map.of(), "{}"), 1, STARTED);

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.error()).isEqualTo("HTTP 404");
    assertThat(notFound.retryAfterMs()).isNull();
    assertThat(big.statusCode()).isEqualTo(200);
    assertThat(big.error()).isNull();
  }

  @Test
  void timeoutHasNoStatus() {
    delivery = new WebhookDelivery(config(true));
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(3, TimeUnit.SECONDS).build());
    JobRecord slow =
        new JobRecord(
            "job-7",
            "shard-0",
            JobState.PENDING,
            server.url("/").toString(),
            "POST",
            Map.of(),
            "{}",
            null,
            Duration.ofMillis(200),
            RetrySettings.DEFAULTS,
            STARTED,
            STARTED,
            null,
            List.of());

    AttemptOutcome outcome = delivery.attempt(slow, 1, STARTED);

    assertThat(outcome.statusCode()).isNull();
    assertThat(outcome.error()).isEqualTo("timeout after 200 ms");
    assertThat(outcome.durationMs()).isBetween(150L, 2_500L);
    assertThat(outcome.permanent()).isFalse();
  }

  @Test
  void connectionRefusedIsRetryableNetworkError() throws Exception {
    delivery = new WebhookDelivery(config(true));
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    AttemptOutcome outcome =
        delivery.attempt(
            job("job-8", "http://127.0.0.1:" + closedPort + "/", "POST", Map.of(), "{}"),
            1,
            STARTED);

    assertThat(outcome.statusCode()).isNull();
    assertThat(outcome.error()).startsWith("connection refused: ");
    assertThat(outcome.permanent()).isFalse();
  }

  @Test
  void refusedTargetIsPermanentAndNeverContacted() {
    delivery = new WebhookDelivery(config(false));
    String port = Integer.toString(server.getPort());
    for (String url :
        List.of(
            "http://127.0.0.1:" + port + "/",
            "http://localhost:" + port + "/",
            "http://2130706433:" + port + "/",
            "http://0x7f000001:" + port + "/",
            "http://[::ffff:127.0.0.1]:" + port + "/")) {
      AttemptOutcome outcome =
          delivery.attempt(job("job-9", url, "POST", Map.of(), "{}"), 1, STARTED);
      assertThat(outcome.permanent()).as(url).isTrue();
      assertThat(outcome.statusCode()).as(url).isNull();
      assertThat(outcome.error()).as(url).startsWith("target address refused: ");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void malformedRequestIsPermanent() {
    delivery = new WebhookDelivery(config(true));
    AttemptOutcome badUrl =
        delivery.attempt(job("job-10", "not a url", "POST", Map.of(), "{}"), 1, STARTED);
    AttemptOutcome getWithBody =
        delivery.attempt(
            job("job-11", server.url("/").toString(), "GET", Map.of(), "{}"), 1, STARTED);

    assertThat(badUrl.permanent()).isTrue();
    assertThat(badUrl.error()).startsWith("malformed request: ");
    assertThat(getWithBody.permanent()).isTrue();
    assertThat(server.getRequestCount()).isZero();
  }
}
