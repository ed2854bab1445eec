package dev.shardhook.api.problem;

/** A valid API key whose role does not allow the request. */
public final class ForbiddenException extends ProblemException {
  public ForbiddenException(String detail) {
    super(403, ProblemTypes.FORBIDDEN, "Forbidden", detail, null);
  }
}
