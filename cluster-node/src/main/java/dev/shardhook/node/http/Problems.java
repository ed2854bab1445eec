package dev.shardhook.node.http;

import dev.shardhook.api.Problem;
import dev.shardhook.node.NodeException;
import dev.shardhook.node.NodeException.CommitUnknownException;
import dev.shardhook.node.NodeException.RetryLaterException;
import dev.shardhook.support.http.ProblemAnswers;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 9457 answers: every failure, ours or Jetty's, leaves the node as {@code
 * application/problem+json} with a {@code type} under {@link ProblemAnswers#TYPE_PREFIX}.
 */
final class Problems {
  static final String INTERNAL_DETAIL = "the node failed to handle the request; see its log";

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static Problem of(NodeException e, String instance) {
    return new Problem(
        ProblemAnswers.TYPE_PREFIX + e.problemType(),
        e.title(),
        e.httpStatus(),
        e.getMessage(),
        instance);
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
      if (e instanceof CommitUnknownException unknown && unknown.jobId() != null) {
        response.getHeaders().put(HttpHeader.LOCATION, "/jobs/" + unknown.jobId());
      }
      ProblemAnswers.write(response, callback, of(e, path));
    } else if (cause instanceof HttpProblemException e) {
      e.headers().forEach((name, value) -> response.getHeaders().put(name, value));
      ProblemAnswers.write(
          response, callback, ProblemAnswers.generic(e.status(), e.getMessage(), path));
    } else {
      LOG.error("{} {} failed", method, path, cause);
      ProblemAnswers.write(response, callback, ProblemAnswers.generic(500, INTERNAL_DETAIL, path));
    }
  }

  /** Whole seconds, rounded up and at least 1: {@code Retry-After: 0} would invite a busy loop. */
  static String retryAfterSeconds(Duration d) {
    long ms = d == null ? 0 : Math.max(0, d.toMillis());
    return Long.toString(Math.max(1, (ms + 999) / 1000));
  }
}
