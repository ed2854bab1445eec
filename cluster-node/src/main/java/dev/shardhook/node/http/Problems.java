package dev.shardhook.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.client.Problem;
import dev.shardhook.client.internal.WireJson;
import dev.shardhook.node.NodeException;
import dev.shardhook.node.NodeException.RetryLaterException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 9457 answers: every failure, ours or Jetty's, leaves the node as {@code
 * application/problem+json} with a {@code type} under {@link #TYPE_PREFIX}.
 */
final class Problems {
  static final String MEDIA_TYPE = "application/problem+json";
  static final String TYPE_PREFIX = "https://shardhook.dev/problems/";
  static final String INTERNAL_DETAIL = "the node failed to handle the request; see its log";

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

  static Problem of(NodeException e, String instance) {
    return new Problem(
        TYPE_PREFIX + e.problemType(), e.title(), e.httpStatus(), e.getMessage(), instance);
  }

  /**
   * A problem named after the status itself: 404 is {@code .../not-found}. Types are part of the
   * contract, so the common ones are spelled out rather than taken from Jetty's reason phrases.
   */
  static Problem generic(int status, String detail, String instance) {
    String title = GENERIC_TITLES.getOrDefault(status, HttpStatus.getMessage(status));
    String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return new Problem(TYPE_PREFIX + slug, title, status, detail, instance);
  }

  /**
   * Answers {@code failure} (possibly wrapped in a {@code CompletionException}); anything that is
   * not a known failure becomes a 500 with a generic detail and is logged with its stack trace.
   */
  static void send(
      Response response, Callback callback, Throwable failure, String method, String path) {
    Throwable cause = Await.cause(failure);
    if (cause instanceof NodeException e) {
      if (e instanceof RetryLaterException later) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds(later.retryAfter()));
      }
      write(response, callback, of(e, path));
    } else if (cause instanceof HttpProblemException e) {
      e.headers().forEach((name, value) -> response.getHeaders().put(name, value));
      write(response, callback, generic(e.status(), e.getMessage(), path));
    } else {
      LOG.error("{} {} failed", method, path, cause);
      write(response, callback, generic(500, INTERNAL_DETAIL, path));
    }
  }

  /** Whole seconds, rounded up and at least 1: {@code Retry-After: 0} would invite a busy loop. */
  static String retryAfterSeconds(Duration d) {
    long ms = d == null ? 0 : Math.max(0, d.toMillis());
    return Long.toString(Math.max(1, (ms + 999) / 1000));
  }

  static void write(Response response, Callback callback, Problem problem) {
    byte[] body;
    try {
      body = WireJson.mapper().writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      // Cannot happen for a record of strings and an int; keep the answer a problem anyway.
      body = ("{\"status\":" + problem.status() + "}").getBytes(StandardCharsets.UTF_8);
    }
    response.setStatus(problem.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
