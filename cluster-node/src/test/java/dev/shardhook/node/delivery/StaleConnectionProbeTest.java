package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class StaleConnectionProbeTest {
  @StartStop public final MockWebServer server = new MockWebServer();

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final StaleConnectionProbe probe = new StaleConnectionProbe(now::get);
  private final OkHttpClient client =
      new OkHttpClient.Builder().addNetworkInterceptor(probe).build();

  private int get() throws Exception {
    try (Response r =
        client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      r.body().string();
      return r.code();
    }
  }

  @Test
  void aConnectionReusedRightAfterItsAnswerIsNotProbed() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }

    assertThat(get()).isEqualTo(200);
    now.addAndGet(StaleConnectionProbe.FRESH.toNanos() - 1);
    assertThat(get()).isEqualTo(200);
    assertThat(get()).isEqualTo(200);

    assertThat(client.connectionPool().connectionCount()).isEqualTo(1); // reused
    assertThat(probe.probes()).isZero();
  }

  @Test
  void aConnectionIdleForFreshOrLongerIsProbedFirst() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());

    assertThat(get()).isEqualTo(200);
    now.addAndGet(StaleConnectionProbe.FRESH.toNanos());
    assertThat(get()).isEqualTo(200);

    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
    assertThat(probe.probes()).isEqualTo(1);
  }
}
