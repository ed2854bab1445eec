package dev.shardhook.node.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shardhook.node.delivery.RawHttpReceiver.Mode;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.RetrySettings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries to receivers that close connections the way real ones do: first attempts must not fail
 * because a pooled connection went stale, and a request that reached the receiver still counts.
 */
class StaleConnectionTest {
  private static final int DELIVERIES = 200;
  private static final int CONCURRENCY = 8;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private WebhookDelivery delivery;

  @AfterEach
  void close() throws Exception {
    if (delivery != null) {
      delivery.close();
    }
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private RawHttpReceiver receiver(Mode mode, int idleCloseMs, String... retryAfter)
      throws Exception {
    RawHttpReceiver r = new RawHttpReceiver(mode, idleCloseMs, retryAfter);
    toClose.add(r);
    return r;
  }

  private static JobRecord job(int i, String url) {
    return WebhookDeliveryTest.job("job-" + i, url, "POST", Map.of(), "{\"n\":" + i + "}");
  }

  /**
   * Sends {@link #DELIVERIES} first attempts from {@link #CONCURRENCY} senders; each sender pauses
   * {@code idleMs} after every other delivery so its connections go idle. Returns the successes.
   */
  private int firstAttemptSuccesses(String url, long idleMs) throws Exception {
    AtomicInteger ok = new AtomicInteger();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < CONCURRENCY; s++) {
        int sender = s;
        done.add(
            senders.submit(
                () -> {
                  for (int i = sender; i < DELIVERIES; i += CONCURRENCY) {
                    AttemptOutcome o = delivery.attempt(job(i, url), 1, Instant.now());
                    if (o.statusCode() != null && o.statusCode() == 204) {
                      ok.incrementAndGet();
                    }
                    if (idleMs > 0 && i % 2 == 0) {
                      // pacing, not synchronisation: lets the receiver's idle timer fire
                      Thread.sleep(idleMs);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    return ok.get();
  }

  @Test
  void http10ReceiverThatClosesAfterEachAnswerGetsEveryFirstAttempt() throws Exception {
    delivery = new WebhookDelivery(WebhookDeliveryTest.config(true), new TargetGuard(true), null);
    RawHttpReceiver receiver = receiver(Mode.HTTP_1_0, 0);

    int ok = firstAttemptSuccesses(receiver.url("/hooks"), 0);

    System.out.printf(
        "first-attempt success, HTTP/1.0 receiver: %d/%d, stale resends %d%n",
        ok, DELIVERIES, delivery.staleResends());
    assertThat(ok).isGreaterThanOrEqualTo(DELIVERIES * 98 / 100);
    assertThat(receiver.requests()).isEqualTo(DELIVERIES);
  }

  @Test
  void keepAliveReceiverThatClosesIdleConnectionsAfter300msGetsEveryFirstAttempt()
      throws Exception {
    delivery = new WebhookDelivery(WebhookDeliveryTest.config(true), new TargetGuard(true), null);
    RawHttpReceiver receiver = receiver(Mode.KEEP_ALIVE, 300);

    int ok = firstAttemptSuccesses(receiver.url("/hooks"), 350);

    System.out.printf(
        "first-attempt success, 300 ms keep-alive receiver: %d/%d, stale resends %d%n",
        ok, DELIVERIES, delivery.staleResends());
    assertThat(ok).isGreaterThanOrEqualTo(DELIVERIES * 98 / 100);
    // connections were reused between pauses, and the stale ones were caught before sending
    assertThat(receiver.connections()).isLessThan(DELIVERIES);
    assertThat(delivery.staleResends()).isPositive();
  }

  @Test
  void overTlsTheProbeKeepsHealthyConnectionsAndCatchesClosedOnes(@TempDir Path dir)
      throws Exception {
    SSLContext tls = selfSignedLocalhost(dir);
    X509TrustManager trust = trustManager(dir);
    delivery =
        new WebhookDelivery(
            WebhookDeliveryTest.config(true),
            new TargetGuard(true),
            null,
            b -> b.sslSocketFactory(tls.getSocketFactory(), trust));
    RawHttpReceiver receiver = new RawHttpReceiver(tls, Mode.KEEP_ALIVE, 300);
    toClose.add(receiver);

    int ok = 0;
    for (int i = 0; i < 12; i++) {
      AttemptOutcome o = delivery.attempt(job(i, receiver.url("/hooks")), 1, Instant.now());
      assertThat(o.error()).as("delivery %d", i).isNull();
      ok++;
      if (i % 3 == 2) {
        Thread.sleep(700); // pacing: the receiver closes the idle connection (after 300 ms)
      }
    }

    assertThat(ok).isEqualTo(12);
    // three back-to-back deliveries share a connection; each pause costs one stale resend
    assertThat(receiver.connections()).isLessThanOrEqualTo(8);
    assertThat(delivery.staleResends()).isBetween(1L, 4L);
  }

  private static final char[] PASSWORD = "changeit".toCharArray();

  /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
  private static SSLContext selfSignedLocalhost(Path dir) throws Exception {
    Path store = dir.resolve("receiver.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "receiver",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), trustManagers(ks), null);
    return ctx;
  }

  private static X509TrustManager trustManager(Path dir) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("receiver.p12"))) {
      ks.load(in, PASSWORD);
    }
    return (X509TrustManager) trustManagers(ks)[0];
  }

  private static TrustManager[] trustManagers(KeyStore ks) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("receiver", ks.getCertificate("receiver"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    return tmf.getTrustManagers();
  }

  @Test
  void receiverThatClosesMidAnswerCostsTheAttemptAndIsNotResent() throws Exception {
    delivery = new WebhookDelivery(WebhookDeliveryTest.config(true), new TargetGuard(true), null);
    RawHttpReceiver receiver = receiver(Mode.CLOSE_MID_RESPONSE, 0);

    AttemptOutcome o = delivery.attempt(job(1, receiver.url("/hooks")), 1, Instant.now());

    assertThat(o.error()).isNotNull();
    assertThat(RetryPolicy.isRetryable(o.statusCode())).isTrue();
    assertThat(o.statusCode()).isNull();
    assertThat(receiver.requests()).isEqualTo(1);
    assertThat(delivery.staleResends()).isZero();
  }

  @Test
  void hostileRetryAfterHeadersAreBoundedAndNeverThrow() throws Exception {
    delivery = new WebhookDelivery(WebhookDeliveryTest.config(true), new TargetGuard(true), null);
    long max = RetryAfter.MAX.toMillis();
    String[][] cases = {
      {"99999999999999999999"},
      {"-5"},
      {"garbage"},
      {"Sat, 01 Jan +300000000 00:00:00 GMT"},
      {"Sat, 01 Jan -300000000 00:00:00 GMT"},
      {"Fri, 31 Dec 9999 23:59:59 GMT"},
      {"5", "10", "nonsense"},
      {"0"},
      {"caf\u00e9 \u00ff"},
    };
    for (String[] headers : cases) {
      RawHttpReceiver receiver = receiver(Mode.RETRY_AFTER, 0, headers);
      AttemptOutcome o = delivery.attempt(job(1, receiver.url("/")), 1, Instant.now());
      assertThat(o.statusCode()).as(String.join(" | ", headers) + ": " + o.error()).isEqualTo(503);
      if (o.retryAfterMs() != null) {
        assertThat(o.retryAfterMs()).as(String.join(" | ", headers)).isBetween(0L, max);
      }
      RetryPolicy.RetryDecision d =
          RetryPolicy.decide(RetrySettings.DEFAULTS, Instant.now(), o, 0.5);
      assertThat(d.nextAttemptAt()).isBefore(Instant.now().plus(Duration.ofDays(2)));
    }
    RawHttpReceiver huge = receiver(Mode.RETRY_AFTER, 0, "99999999999999999999");
    assertThat(delivery.attempt(job(2, huge.url("/")), 1, Instant.now()).retryAfterMs())
        .isEqualTo(max);
    // OkHttp itself would resend at once on "503, Retry-After: 0": one attempt, one request
    RawHttpReceiver zero = receiver(Mode.RETRY_AFTER, 0, "0");
    assertThat(delivery.attempt(job(4, zero.url("/")), 1, Instant.now()).retryAfterMs()).isZero();
    assertThat(zero.requests()).isEqualTo(1);
    RawHttpReceiver several = receiver(Mode.RETRY_AFTER, 0, "5", "10", "nonsense");
    assertThat(delivery.attempt(job(3, several.url("/")), 1, Instant.now()).retryAfterMs())
        .isEqualTo(10_000L);
  }
}
