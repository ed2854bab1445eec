package dev.shardhook.api.problem;

import java.util.Map;

/** A known path asked with a method it does not serve; {@code Allow} lists those it does. */
public final class MethodNotAllowedException extends ProblemException {
  private final String allow;

  /**
   * @param method the request's method, already made printable
   * @param allow the methods the path serves, comma-separated
   */
  public MethodNotAllowedException(String method, String allow) {
    super(
        405,
        ProblemTypes.METHOD_NOT_ALLOWED,
        "Method not allowed",
        method + " is not allowed here; allowed: " + allow,
        null);
    this.allow = allow;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("Allow", allow);
  }
}
