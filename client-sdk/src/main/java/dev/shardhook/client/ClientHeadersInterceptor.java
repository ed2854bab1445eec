package dev.shardhook.client;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/** The first stage of every exchange: the SDK's {@code User-Agent} and the API key, if any. */
final class ClientHeadersInterceptor implements Interceptor {
  static final String USER_AGENT = "shardhook-java-sdk";

  private final String authorization;

  /**
   * @param apiKey sent as {@code Authorization: Bearer <apiKey>}; null for none
   */
  ClientHeadersInterceptor(String apiKey) {
    this.authorization = apiKey == null ? null : "Bearer " + apiKey;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request.Builder request = chain.request().newBuilder().header("User-Agent", USER_AGENT);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return chain.proceed(request.build());
  }
}
