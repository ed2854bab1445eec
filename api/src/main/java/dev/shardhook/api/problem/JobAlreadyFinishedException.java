package dev.shardhook.api.problem;

/** Cancel of a job that already reached a final status. */
public final class JobAlreadyFinishedException extends ProblemException {
  public JobAlreadyFinishedException(String id, String status) {
    super(
        409,
        ProblemTypes.JOB_FINISHED,
        "Job already finished",
        "job '" + id + "' is already " + status,
        null);
  }
}
