package dev.shardhook.support.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.shardhook.api.Problem;
import dev.shardhook.api.WireJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * RFC 9457 answers as the node and the proxy write them: one {@code type} prefix and one set of
 * status-named types, so clients handle the same problems whichever hop refused a request.
 */
public final class ProblemAnswers {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_PREFIX = "https://shardhook.dev/problems/";

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
