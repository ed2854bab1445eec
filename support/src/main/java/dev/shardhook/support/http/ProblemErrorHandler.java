package dev.shardhook.support.http;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty produces itself (unparsable request line, bad URI, headers too large,
 * 503 while shutting down) as problems, so clients parse one error format whatever failed.
 */
public final class ProblemErrorHandler extends ErrorHandler {
  private final String internalDetail;

  /**
   * @param internalDetail the detail of 5xx answers, instead of Jetty's message
   */
  public ProblemErrorHandler(String internalDetail) {
    this.internalDetail = internalDetail;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      status = http.getCode();
      if (message == null) {
        message = http.getReason();
      }
    }
    if (status < 400 || status > 599) {
      status = 500;
    }
    response.setStatus(status);
    response.getHeaders().put(ERROR_CACHE_CONTROL);
    if (HttpStatus.hasNoBody(status)) {
      callback.succeeded();
      return true;
    }
    // Jetty's messages for 5xx may describe internals; 4xx ones describe the client's request.
    String detail =
        status >= 500 && !(cause instanceof HttpException)
            ? internalDetail
            : message == null ? HttpStatus.getMessage(status) : message;
    ProblemAnswers.write(
        response, callback, ProblemAnswers.generic(status, detail, instance(request)));
    return true;
  }

  // The URI may be the very thing that failed to parse.
  private static String instance(Request request) {
    try {
      return request.getHttpURI().getPath();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
