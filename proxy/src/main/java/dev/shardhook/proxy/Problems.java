package dev.shardhook.proxy;

import dev.shardhook.api.Problem;
import dev.shardhook.support.http.ProblemAnswers;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
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
  static final String INTERNAL_DETAIL = "the proxy failed to handle the request; see its log";

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  static Problem of(ProxyException e, String instance) {
    return new Problem(
        ProblemAnswers.TYPE_PREFIX + e.problemType(),
        e.title(),
        e.httpStatus(),
        e.getMessage(),
        instance);
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
      ProblemAnswers.write(response, callback, of(e, path));
    } else {
      LOG.error("{} {} failed", method, path, cause);
      ProblemAnswers.write(response, callback, ProblemAnswers.generic(500, INTERNAL_DETAIL, path));
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
}
