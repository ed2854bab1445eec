package dev.shardhook.api.problem;

/** A request that cannot be a job: bad JSON, bad field, bad id or key, unsafe target. */
public final class InvalidJobException extends ProblemException {
  public InvalidJobException(String message) {
    super(400, ProblemTypes.INVALID_JOB, "Invalid job request", message, null);
  }
}
