package dev.shardhook.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.client.Problem;
import dev.shardhook.client.internal.WireJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 9457 answers: every failure, the proxy's or Jetty's, leaves as {@code
 * application/problem+json} with a {@code type} under the same prefix and of the same kinds a node
 * uses, so clients handle one set of problem types whichever hop refused them.
 */
final class Problems {
  static final String MEDIA_TYPE = "application/problem+json";
  static final String TYPE_PREFIX = "https://shardhook.dev/problems/";
  static final String INTERNAL_DETAIL = "the proxy failed to handle the request; see its log";

  private static final Map<Integer, String> GENERIC_TITLES =
      Map.ofEntries(
          Map.entry(400, "Bad request"),
          Map.entry(404, "Not found"),
          Map.entry(405, "Method not allowed"),
          Map.entry(408, "Request timeout"),
          Map.entry(413, "Payload too large"),
          Map.entry(414, "URI too long"),
          Map.entry(415, "Unsupported media type"),
          Map.entry(431, "Request header fields too large"),
          Map.entry(500, "Internal error"),
          Map.entry(503, "Service unavailable"));

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static Problem of(ProxyException e, String instance) {
    return new Problem(
        TYPE_PREFIX + e.problemType(), e.title(), e.httpStatus(), e.getMessage(), instance);
  }

  /** A problem named after the status itself: 404 is {@code .../not-found}. */
  static Problem generic(int status, String detail, String instance) {
    String title = genericTitle(status);
    return new Problem(TYPE_PREFIX + slug(title), title, status, detail, instance);
  }

  static String genericTitle(int status) {
    return GENERIC_TITLES.getOrDefault(status, HttpStatus.getMessage(status));
  }

  static String slug(String title) {
    return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  /**
   * Answers {@code failure}; anything that is not a {@link ProxyException} is a bug, answered 500
   * with a generic detail and logged with its stack trace.
   */
  static void send(
      Response response, Callback callback, Throwable failure, String method, String path) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ProxyException e) {
      e.headers().forEach((name, value) -> response.getHeaders().put(name, value));
      write(response, callback, of(e, path));
    } else {
      LOG.error("{} {} failed", method, path, cause);
      write(response, callback, generic(500, INTERNAL_DETAIL, path));
    }
  }

  /** The failure inside any number of {@code CompletionException}/{@code ExecutionException}. */
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  static byte[] bytes(Problem problem) {
    try {
      return WireJson.mapper().writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      // Cannot happen for a record of strings and an int; keep the answer a problem anyway.
      return ("{\"status\":" + problem.status() + "}").getBytes(StandardCharsets.UTF_8);
    }
  }

  static void write(Response response, Callback callback, Problem problem) {
    response.setStatus(problem.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(bytes(problem)), callback);
  }
}
