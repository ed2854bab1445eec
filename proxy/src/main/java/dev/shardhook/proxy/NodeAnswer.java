package dev.shardhook.proxy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * A node's answer, read whole, with the headers the proxy passes back to the client unchanged
 * (nodeToProxyResponse). Hop-by-hop headers and everything else stay behind.
 *
 * @param status the node's status code
 * @param contentType its {@code Content-Type}, or null
 * @param body the whole body
 * @param headers {@code Location}, {@code Retry-After}, {@code Idempotent-Replayed} when present
 */
public record NodeAnswer(int status, String contentType, byte[] body, Map<String, String> headers) {
  static final List<String> PASSED_HEADERS =
      List.of("Location", "Retry-After", "Idempotent-Replayed");

  /** Larger than any answer of the job API (1000 jobs of a batch), small enough to hold. */
  static final long MAX_BODY_BYTES = 64L << 20;

  static NodeAnswer read(Response response) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : PASSED_HEADERS) {
      String value = response.header(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    BufferedSource source = response.body().source();
    if (source.request(MAX_BODY_BYTES + 1)) {
      throw new IOException("answer body over " + MAX_BODY_BYTES + " bytes");
    }
    return new NodeAnswer(
        response.code(), response.header("Content-Type"), source.readByteArray(), headers);
  }

  /**
   * Whether this is an answer of the job API at all: every such answer is JSON or problem JSON; a
   * page from something else listening on the node's port is not.
   */
  boolean isJobApiAnswer() {
    if (contentType == null) {
      return body.length == 0;
    }
    String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return media.equals("application/json") || media.endsWith("+json");
  }
}
