package dev.shardhook.client;

import dev.shardhook.api.Problem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Turns a failed exchange into the {@link ShardhookException} kind its status names, carrying the
 * server's problem details. An answer that is not a problem document (from a gateway, say) gets an
 * {@code about:blank} problem built from its status and the start of its body.
 */
final class ErrorResponses {
  private static final int MAX_DETAIL = 300;
  private static final Map<Integer, String> TITLES =
      Map.of(
          400, "Bad request",
          401, "Unauthorized",
          403, "Forbidden",
          404, "Not found",
          409, "Conflict",
          413, "Payload too large",
          422, "Unprocessable content",
          429, "Too many requests",
          500, "Internal server error",
          503, "Service unavailable");

  private ErrorResponses() {}

  /** The exception for a non-2xx answer. */
  static ShardhookException of(ApiCall call, int status, byte[] body, Duration retryAfter) {
    Problem problem = ClientJson.problemOrNull(body);
    if (problem == null) {
      problem = new Problem("about:blank", title(status), status, text(body), null);
    }
    return of(call.describe() + ": " + summary(status, problem), status, problem, retryAfter);
  }

  /** The exception for one refused item of a batch answer. */
  static ShardhookException ofItem(ApiCall call, int index, int status, Problem problem) {
    Problem p =
        problem != null ? problem : new Problem("about:blank", title(status), status, null, null);
    return of(call.describe() + " item " + index + ": " + summary(status, p), status, p, null);
  }

  /** The exception for an exchange that got no answer. */
  static ShardhookException.Unavailable noAnswer(ApiCall call, String host, IOException e) {
    boolean neverConnected =
        e instanceof ConnectException
            || e instanceof UnknownHostException
            || e instanceof NoRouteToHostException;
    return new ShardhookException.Unavailable(
        call.describe() + " to " + host + ": no answer (" + e + ")",
        0,
        null,
        null,
        e,
        !neverConnected);
  }

  private static ShardhookException of(
      String message, int status, Problem problem, Duration retryAfter) {
    return switch (status) {
      case 400, 413 -> new ShardhookException.InvalidJob(message, status, problem);
      case 401 -> new ShardhookException.Unauthorized(message, problem);
      case 403 -> new ShardhookException.Forbidden(message, problem);
      case 404 -> new ShardhookException.NotFound(message, problem);
      case 409 -> new ShardhookException.Conflict(message, problem);
      case 422 -> new ShardhookException.IdempotencyMismatch(message, problem);
      case 429 -> new ShardhookException.QueueFull(message, problem, retryAfter);
      case 503, 504 ->
          new ShardhookException.Unavailable(message, status, problem, retryAfter, null);
      default -> new ShardhookException(message, status, problem, null);
    };
  }

  private static String summary(int status, Problem p) {
    String title = p.title() != null ? p.title() : title(status);
    return status + " " + title + (p.detail() != null ? ": " + p.detail() : "");
  }

  private static String title(int status) {
    return TITLES.getOrDefault(status, "HTTP " + status);
  }

  private static String text(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    String s = new String(body, StandardCharsets.UTF_8).strip();
    return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
  }
}
