package dev.shardhook.api.problem;

/** A request that could not be read at all, such as a body that broke off. */
public final class BadRequestException extends ProblemException {
  public BadRequestException(String message) {
    super(400, ProblemTypes.BAD_REQUEST, "Bad request", message, null);
  }
}
