package dev.shardhook.support.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.Problem;
import dev.shardhook.api.WireJson;
import dev.shardhook.api.problem.ProblemException;
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
 * RFC 9457 answers as the node and the proxy write them: every failure, theirs or Jetty's, leaves
 * as {@code application/problem+json} with one {@code type} prefix and the same kinds on both hops,
 * so clients handle one set of problems whichever hop refused a request.
 */
public final class ProblemAnswers {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_PREFIX = ProblemException.TYPE_PREFIX;

  private static final Logger LOG = LoggerFactory.getLogger(ProblemAnswers.class);

  // Types are part of the contract, so the common ones are spelled out rather than taken from
  // Jetty's reason phrases, which may change between versions.
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

  private ProblemAnswers() {}

  /** A problem named after the status itself: 404 is {@code .../not-found}. */
  public static Problem generic(int status, String detail, String instance) {
    String title = genericTitle(status);
    return new Problem(TYPE_PREFIX + slug(title), title, status, detail, instance);
  }

  /** The title of {@link #generic} problems of {@code status}. */
  public static String genericTitle(int status) {
    return GENERIC_TITLES.getOrDefault(status, HttpStatus.getMessage(status));
  }

  /** A title as the last segment of a problem type: "Not found" is {@code not-found}. */
  public static String slug(String title) {
    return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  /**
   * The problem answering {@code failure} (possibly wrapped in {@code CompletionException}s):
   * anything that is not a {@link ProblemException} is a bug, answered 500 with {@code
   * internalDetail} and logged with its stack trace under {@code what}.
   */
  public static Problem of(Throwable failure, String instance, String internalDetail, String what) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ProblemException e) {
      return e.toProblem(instance);
    }
    LOG.error("{} failed", what, cause);
    return generic(500, internalDetail, instance);
  }

  /** Answers {@code failure} as {@link #of} words it, with the problem's headers. */
  public static void send(
      Response response,
      Callback callback,
      Throwable failure,
      String method,
      String path,
      String internalDetail) {
    if (unwrap(failure) instanceof ProblemException e) {
      e.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    }
    write(response, callback, of(failure, path, internalDetail, method + " " + path));
  }

  /** The failure inside any number of {@code CompletionException}/{@code ExecutionException}. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  public static byte[] bytes(Problem problem) {
    try {
      return WireJson.mapper().writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      // Cannot happen for a record of strings and an int; keep the answer a problem anyway.
      return ("{\"status\":" + problem.status() + "}").getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Sends {@code problem} as the whole response: its status, the media type and the JSON. */
  public static void write(Response response, Callback callback, Problem problem) {
    response.setStatus(problem.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(bytes(problem)), callback);
  }
}
