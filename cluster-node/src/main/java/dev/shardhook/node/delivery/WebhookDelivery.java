package dev.shardhook.node.delivery;

import dev.shardhook.api.JobRules;
import dev.shardhook.api.problem.InvalidJobException;
import dev.shardhook.node.job.AttemptOutcome;
import dev.shardhook.node.job.CapturedResponse;
import dev.shardhook.node.job.JobRecord;
import dev.shardhook.node.job.TenantIds;
import dev.shardhook.support.auth.Tenants;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Makes one delivery attempt of a job: the job's request plus the Standard Webhooks headers, over
 * one shared OkHttp client. Blocking and thread-safe; meant to run on a virtual thread per attempt.
 * Never throws for anything the network or the receiver does: every attempt ends in an {@link
 * AttemptOutcome}.
 */
public final class WebhookDelivery implements AutoCloseable {
  /** Errors go into Raft entries and job records: keep them short. */
  static final int MAX_ERROR_CHARS = 300;

  /**
   * How long an idle pooled connection is kept. Receivers close idle connections on their own
   * timers (gunicorn 2 s, Node.js and Apache httpd 5 s, uvicorn 5 s, many load balancers more);
   * evicting ours sooner than the shortest common default means we rarely hold one the receiver has
   * dropped, and {@link StaleConnectionProbe} catches the rest. Under load connections stay busy
   * and are reused; an idle second costs one new handshake.
   */
  static final Duration POOL_KEEP_ALIVE = Duration.ofSeconds(1);

  private static final MediaType JSON = MediaType.parse("application/json");

  private final OkHttpClient client;
  // Never pools: the one immediate resend after a stale pooled connection must not find another.
  private final OkHttpClient freshClient;
  private final TargetGuard guard;
  private final DeliverySigning signing;
  private final long defaultTimeoutMs;
  private final String userAgent;
  private final AtomicLong staleResends = new AtomicLong();
  private final ResponseCapture capture;

  /** Guard and the node's own signer from the config; no tenants. */
  public WebhookDelivery(DeliveryConfig config) {
    this(config, () -> Tenants.EMPTY);
  }

  /** Guard from the config; deliveries signed with their tenant's secrets, else the config's. */
  public WebhookDelivery(DeliveryConfig config, Supplier<Tenants> tenants) {
    this(
        config,
        new TargetGuard(config.allowPrivateTargets()),
        new DeliverySigning(tenants, config.signingSecret().map(WebhookSigner::new).orElse(null)));
  }

  /**
   * @param signing signs each delivery; null sends no {@code webhook-signature}
   */
  public WebhookDelivery(DeliveryConfig config, TargetGuard guard, DeliverySigning signing) {
    this(config, guard, signing, b -> b);
  }

  /**
   * @param tune last changes to the HTTP client (tests: trust a test certificate)
   */
  WebhookDelivery(
      DeliveryConfig config,
      TargetGuard guard,
      DeliverySigning signing,
      UnaryOperator<OkHttpClient.Builder> tune) {
    this.guard = guard;
    this.signing = signing;
    this.defaultTimeoutMs = config.attemptTimeout().toMillis();
    this.capture = new ResponseCapture(config.responseCaptureBytes());
    String version = WebhookDelivery.class.getPackage().getImplementationVersion();
    this.userAgent = "Shardhook/" + (version == null ? "dev" : version);
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            .connectionPool(
                new ConnectionPool(
                    config.workers(), POOL_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .dns(guard.asDns())
            // Through a proxy the guarded DNS would vet the proxy, not the target.
            .proxy(Proxy.NO_PROXY)
            // One deadline per call (the job's timeout) instead of per-phase timeouts.
            .connectTimeout(Duration.ZERO)
            .readTimeout(Duration.ZERO)
            .writeTimeout(Duration.ZERO)
            .callTimeout(Duration.ofMillis(defaultTimeoutMs))
            // OkHttp's own retry also resends requests that may have reached the receiver.
            .addNetworkInterceptor(new StaleConnectionProbe())
            .addNetworkInterceptor(new RetryAfterShield());
    this.client = tune.apply(builder).build();
    this.freshClient =
        client.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
  }

  /** The {@code User-Agent} sent with every delivery. */
  public String userAgent() {
    return userAgent;
  }

  /**
   * Delivers {@code job} once.
   *
   * @param attemptNumber 1 for the first attempt
   * @param startedAt the wall-clock start, also sent as {@code webhook-timestamp}
   */
  public AttemptOutcome attempt(JobRecord job, int attemptNumber, Instant startedAt) {
    long t0 = System.nanoTime();
    long timeoutMs = job.timeout().isPositive() ? job.timeout().toMillis() : defaultTimeoutMs;
    Request request;
    try {
      request = request(job, startedAt);
    } catch (InvalidJobException e) {
      return failure(
          job, attemptNumber, startedAt, t0, "target address refused: " + e.getMessage(), true);
    } catch (IllegalArgumentException e) {
      return failure(
          job, attemptNumber, startedAt, t0, "malformed request: " + e.getMessage(), true);
    }
    try (Response response = execute(request, timeoutMs, t0)) {
      int code = response.code();
      List<String> retryAfterHeaders = response.headers(RetryAfterShield.HEADER);
      CapturedResponse captured = capture.read(response);
      long durationMs = elapsedMs(t0);
      Long retryAfterMs =
          RetryAfter.parse(retryAfterHeaders, startedAt.plusMillis(durationMs))
              .map(WebhookDelivery::saturatedMillis)
              .orElse(null);
      String error = code >= 200 && code <= 299 ? null : "HTTP " + code;
      return new AttemptOutcome(
          job.id(),
          attemptNumber,
          startedAt,
          durationMs,
          code,
          error,
          retryAfterMs,
          false,
          captured);
    } catch (IOException | RuntimeException e) {
      RefusedTargetException refused = refusal(e);
      if (refused != null) {
        return failure(
            job,
            attemptNumber,
            startedAt,
            t0,
            "target address refused: " + refused.getMessage(),
            true);
      }
      return failure(job, attemptNumber, startedAt, t0, describe(e, timeoutMs), false);
    }
  }

  /**
   * Sends {@code request}; when a pooled connection turns out closed before any byte of it was
   * written, sends it once more at once on a fresh connection, within the same deadline. Any other
   * failure ends the attempt (the request may have reached the receiver).
   */
  private Response execute(Request request, long timeoutMs, long t0) throws IOException {
    Call call = client.newCall(request);
    call.timeout().timeout(timeoutMs, TimeUnit.MILLISECONDS);
    try {
      return call.execute();
    } catch (StaleConnectionProbe.StaleConnectionException stale) {
      staleResends.incrementAndGet();
      long left = timeoutMs - elapsedMs(t0);
      if (left <= 0) {
        throw new InterruptedIOException("timeout");
      }
      Call again = freshClient.newCall(request);
      again.timeout().timeout(left, TimeUnit.MILLISECONDS);
      return again.execute();
    }
  }

  /** Deliveries sent again on a fresh connection because their pooled one was stale. */
  public long staleResends() {
    return staleResends.get();
  }

  private Request request(JobRecord job, Instant startedAt) {
    HttpUrl url = HttpUrl.parse(job.url() == null ? "" : job.url());
    if (url == null) {
      throw new IllegalArgumentException("not an http or https URL: " + job.url());
    }
    guard.checkLiteral(url.host());
    String method = job.method() == null ? "POST" : job.method().toUpperCase(Locale.ROOT);
    byte[] body = job.body() == null ? null : job.body().getBytes(StandardCharsets.UTF_8);
    if (body != null && body.length == 0 && (method.equals("GET") || method.equals("HEAD"))) {
      body = null;
    }
    Request.Builder b = new Request.Builder().url(url);
    String contentType = null;
    for (Map.Entry<String, String> h : job.headers().entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("content-type")) {
        contentType = h.getValue();
      }
      if (!JobRules.isDeliveryOwnedHeader(name)) {
        b.addHeader(h.getKey(), h.getValue());
      }
    }
    long timestamp = startedAt.getEpochSecond();
    // The receiver knows the job by the id and key its tenant sent, never the scoped ones.
    String msgId = TenantIds.publicId(job.id());
    String key = TenantIds.publicKey(job.id(), job.idempotencyKey());
    b.header("webhook-id", msgId)
        .header("webhook-timestamp", Long.toString(timestamp))
        .header("Idempotency-Key", key == null || key.isBlank() ? msgId : key)
        .header("User-Agent", userAgent);
    String signature =
        signing == null
            ? null
            : signing.signature(
                TenantIds.tenantOf(job.id()),
                msgId,
                timestamp,
                body == null ? new byte[0] : body,
                startedAt);
    if (signature != null) {
      b.header("webhook-signature", signature);
    }
    RequestBody requestBody = null;
    if (body != null) {
      requestBody =
          RequestBody.create(body, contentType != null ? MediaType.parse(contentType) : JSON);
    } else if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      requestBody = RequestBody.create(new byte[0], null);
    }
    return b.method(method, requestBody).build();
  }

  private static RefusedTargetException refusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RefusedTargetException r) {
        return r;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s instanceof RefusedTargetException r) {
          return r;
        }
      }
    }
    return null;
  }

  private static String describe(Exception e, long timeoutMs) {
    if (e instanceof InterruptedIOException) {
      return Thread.currentThread().isInterrupted()
          ? "interrupted"
          : "timeout after " + timeoutMs + " ms";
    }
    if (e instanceof ConnectException) {
      return "connection refused: " + e.getMessage();
    }
    if (e instanceof UnknownHostException) {
      return "unknown host: " + e.getMessage();
    }
    if (e instanceof SSLException) {
      return "TLS error: " + e.getMessage();
    }
    if (e instanceof IOException) {
      return "network error: " + e;
    }
    return "delivery error: " + e;
  }

  private static AttemptOutcome failure(
      JobRecord job,
      int attemptNumber,
      Instant startedAt,
      long t0,
      String error,
      boolean permanent) {
    String e = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error;
    return new AttemptOutcome(
        job.id(), attemptNumber, startedAt, elapsedMs(t0), null, e, null, permanent);
  }

  private static long elapsedMs(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  private static long saturatedMillis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    freshClient.connectionPool().evictAll();
  }
}
