package dev.shardhook.node.delivery;

import java.io.IOException;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Network interceptor that hides the receiver's {@code Retry-After} from OkHttp, under {@link
 * #HEADER}. OkHttp acts on it for 503 answers: {@code Retry-After: 0} makes it send the request
 * again inside the same call (a delivery the attempt count never sees), and a value over {@code
 * Integer.MAX_VALUE} makes it throw {@code NumberFormatException}. Our retry policy is the only
 * reader.
 */
final class RetryAfterShield implements Interceptor {
  /** Where the receiver's {@code Retry-After} values are moved to. */
  static final String HEADER = "X-Shardhook-Receiver-Retry-After";

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    if (response.header("Retry-After") == null) {
      return response;
    }
    // addUnsafeNonAscii: the receiver's bytes were accepted once already, do not re-validate them.
    Headers.Builder h = response.headers().newBuilder().removeAll("Retry-After").removeAll(HEADER);
    for (String value : response.headers("Retry-After")) {
      h.addUnsafeNonAscii(HEADER, value);
    }
    return response.newBuilder().headers(h.build()).build();
  }
}
