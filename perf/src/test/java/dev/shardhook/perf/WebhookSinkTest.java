package dev.shardhook.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSinkTest {
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void countsDistinctIdsDuplicatesAndRequestsWithoutId() throws Exception {
    try (WebhookSink sink = WebhookSink.start(List.of("127.0.0.1"), 0, Duration.ZERO)) {
      URI url = sink.urls().getFirst();

      assertThat(post(url, "job-1")).isEqualTo(200);
      assertThat(post(url, "job-2")).isEqualTo(200);
      assertThat(post(url, "job-1")).isEqualTo(200);
      assertThat(post(url, null)).isEqualTo(200);

      assertThat(sink.requests()).isEqualTo(4);
      assertThat(sink.distinct()).isEqualTo(2);
      assertThat(sink.duplicates()).isEqualTo(1);
      assertThat(sink.withoutId()).isEqualTo(1);
      assertThat(sink.received("job-2")).isTrue();
      assertThat(sink.received("job-3")).isFalse();
      assertThat(sink.lastFirstDeliveryNanos()).isPositive();
    }
  }

  @Test
  void answersAfterTheConfiguredLatency() throws Exception {
    try (WebhookSink sink = WebhookSink.start(List.of("127.0.0.1"), 0, Duration.ofMillis(150))) {
      long start = System.nanoTime();

      post(sink.urls().getFirst(), "slow");

      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
  }

  @Test
  void servesOneUrlPerHost() throws Exception {
    assumeTrue(canBind("127.0.0.2"), "127.0.0.2 is not a loopback address here (Linux has 127/8)");
    try (WebhookSink sink =
        WebhookSink.start(List.of("127.0.0.1", "127.0.0.2"), 0, Duration.ZERO)) {
      assertThat(sink.urls()).hasSize(2);
      assertThat(sink.urls().get(1).getHost()).isEqualTo("127.0.0.2");
      for (URI url : sink.urls()) {
        assertThat(post(url, "id-" + url.getHost())).isEqualTo(200);
      }
      assertThat(sink.distinct()).isEqualTo(2);
    }
  }

  private static boolean canBind(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private int post(URI url, String webhookId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}"));
    if (webhookId != null) {
      request.header("webhook-id", webhookId);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
