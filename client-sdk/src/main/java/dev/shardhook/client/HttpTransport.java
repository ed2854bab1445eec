package dev.shardhook.client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One attempt of an {@link ApiCall} against one endpoint, on the calling thread: a 2xx answer comes
 * back, anything else is thrown as the matching {@link ShardhookException}.
 */
final class HttpTransport {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final Endpoints endpoints;
  private final Clock clock;

  HttpTransport(OkHttpClient http, Endpoints endpoints, Clock clock) {
    this.http = http;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  Endpoints endpoints() {
    return endpoints;
  }

  /**
   * Sends {@code call} to endpoint {@code index}.
   *
   * @param budget the most the whole exchange may take (connect, write, read)
   */
  ApiResponse send(int index, ApiCall call, Duration budget) {
    HttpUrl.Builder withQuery = endpoints.url(index, call.path()).newBuilder();
    call.query().forEach(withQuery::addQueryParameter);
    HttpUrl url = withQuery.build();
    Request.Builder request = new Request.Builder().url(url);
    if (call.idempotencyKey() != null) {
      request.header(IDEMPOTENCY_KEY, call.idempotencyKey());
    }
    request.method(
        call.method(), call.body() == null ? null : RequestBody.create(call.body(), JSON));
    Call exchange = http.newCall(request.build());
    exchange.timeout().timeout(Math.max(1, budget.toMillis()), TimeUnit.MILLISECONDS);
    try (Response response = exchange.execute()) {
      byte[] body = response.body().bytes();
      int status = response.code();
      if (status >= 200 && status <= 299) {
        return new ApiResponse(status, body);
      }
      Duration retryAfter =
          RetryAfterHeader.parse(response.header("Retry-After"), clock.instant()).orElse(null);
      throw ErrorResponses.of(call, status, body, retryAfter);
    } catch (IOException e) {
      throw ErrorResponses.noAnswer(call, url.host() + ":" + url.port(), e);
    }
  }
}
