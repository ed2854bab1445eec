package dev.shardhook.api.problem;

/** A node answered a proxy something that is not an answer of the job API, or broke the call. */
public final class BadGatewayException extends ProblemException {
  public BadGatewayException(String message) {
    super(502, ProblemTypes.BAD_GATEWAY, "Bad gateway", message, null);
  }
}
